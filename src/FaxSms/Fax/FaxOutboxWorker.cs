using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CallCenter.FaxSms.Fax;

/// <summary>
/// Renders faxes accepted before their render (a document asked for on a call: "rendering"), then sends queued
/// faxes. A render: claims a due row (<see cref="FaxRepository.ClaimRenderAsync"/>) and has
/// <see cref="FaxOutbox.RenderClaimedAsync"/> make its TIFF-F ("queued" with its pages, or "failed" with the reason),
/// up to <see cref="FaxDocuments.MaxRendersAtOnce"/> at once, beside the calls (a render never holds a call up). A send:
/// claims a due row (<see cref="FaxRepository.ClaimDueAsync"/>), places the call
/// through <see cref="IFaxLine"/> from the first page not yet sent, and records what
/// <see cref="FaxRetry.Decide"/> makes of the attempt. Before it dials, the destination is checked again
/// (<see cref="FaxDestination.Check"/>: the configuration may have changed since the fax was queued, a SIP
/// URI's host taken off <c>Fax:SipHosts</c>, a number barred): one that may not be faxed any more ends the
/// fax without a call, the reason in its row. Up to <see cref="FaxOptions.Concurrency"/> fax calls at
/// once (<c>Fax:Concurrency</c>, 4 by default). At start, a fax a stopped run left "sending" is queued again, and one
/// left "rendering" is rendered (one platform per database; see the room's README).
/// </summary>
public sealed class FaxOutboxWorker(
    FaxRepository repository,
    FaxOutbox outbox,
    IFaxLine line,
    IFaxNumbers numbers,
    FaxOptions options,
    FaxOutboxSignal signal,
    TimeProvider time,
    ILogger<FaxOutboxWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new List<Task>();
        var rendering = new List<Task>();
        try
        {
            await repository.RequeueInterruptedAsync(time.GetUtcNow(), stoppingToken);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
        {
            FaxSmsLog.FaxWorkerDatabaseError(logger, e);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            running.RemoveAll(t => t.IsCompleted);
            rendering.RemoveAll(t => t.IsCompleted);
            try
            {
                while (rendering.Count < FaxDocuments.MaxRendersAtOnce && await repository.ClaimRenderAsync(time.GetUtcNow(), stoppingToken) is { } document)
                {
                    rendering.Add(RenderAsync(document, stoppingToken));
                }

                while (running.Count < options.Concurrency && await repository.ClaimDueAsync(time.GetUtcNow(), stoppingToken) is { } fax)
                {
                    running.Add(SendAsync(fax, stoppingToken));
                }
            }
            catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
            {
                FaxSmsLog.FaxWorkerDatabaseError(logger, e);
            }

            try
            {
                await signal.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await Task.WhenAll(running.Concat(rendering));
    }

    private async Task RenderAsync(FaxRecord fax, CancellationToken stoppingToken)
    {
        // Off the loop's thread at once: the loop goes on claiming while ghostscript runs.
        await Task.Yield();
        try
        {
            var outcome = await outbox.RenderClaimedAsync(fax, stoppingToken);
            if (outcome.Error is null)
            {
                FaxSmsLog.FaxRendered(logger, fax.Id, fax.Remote, outcome.Pages);
            }
            else
            {
                FaxSmsLog.FaxRenderFailed(logger, fax.Id, fax.Remote, outcome.Error);
            }
        }
        catch (OperationCanceledException)
        {
            // The platform stopping: the row stays "rendering", and the next start renders it (its PDF is on disk).
            FaxSmsLog.FaxRenderInterrupted(logger, fax.Id);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
        {
            // The row stays "rendering", claimed, and is rendered again at the next start.
            FaxSmsLog.FaxWorkerDatabaseError(logger, e);
        }
        finally
        {
            // A render slot is free (and a fax may be queued): the loop claims again now, not at its next poll.
            signal.Notify();
        }
    }

    private async Task SendAsync(FaxRecord fax, CancellationToken stoppingToken)
    {
        FaxAttempt attempt;
        try
        {
            if (FaxDestination.Check(fax.Remote, options.Number, options.ToSipHosts(), numbers) is { } refused)
            {
                FaxSmsLog.FaxNotDialled(logger, fax.Id, fax.Remote, refused);
                attempt = new FaxAttempt(0, null, refused, Refused: true);
            }
            else
            {
                FaxSmsLog.FaxSending(logger, fax.Id, fax.Remote, fax.Attempts, fax.Pages);
                attempt = await line.SendAsync(fax.Id, fax.Remote, fax.TiffPath!, fax.Pages, stoppingToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A fault of ours, not the remote's: it costs the attempt, with its type as the reason.
            attempt = new FaxAttempt(0, null, "the fax call failed inside the platform (" + e.GetType().Name + ")");
        }
        catch (OperationCanceledException)
        {
            attempt = new FaxAttempt(0, null, "the platform stopped during the fax call");
        }

        var now = time.GetUtcNow();
        var decision = FaxRetry.Decide(attempt, fax.Pages, fax.Attempts, options.MaxAttempts, now, TimeSpan.FromSeconds(options.RetrySeconds));
        var result = attempt.Result;
        try
        {
            await repository.FinishAsync(
                new FaxFinish(fax.Id, fax.Direction, decision.Status, fax.Remote, fax.LocalNumber, attempt.CallId ?? fax.CallId, decision.Pages,
                    result?.BitRate ?? 0, result?.Ecm ?? false, result?.Code, result?.Summary ?? (attempt.Refused ? (attempt.SipStatus == 0 ? "not dialled: " : "") + attempt.Reason : $"SIP {attempt.SipStatus}: {attempt.Reason}"),
                    fax.TiffPath, fax.PdfPath, decision.NextAttemptAt, Held: attempt.HeldUntil is not null),
                now,
                CancellationToken.None);
            FaxSmsLog.FaxAttemptEnded(logger, fax.Id, fax.Attempts, decision.Status, decision.Pages, result?.Summary ?? attempt.Reason);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
        {
            // The row stays "sending" and is queued again at the next start: at worst pages go twice, never lost.
            FaxSmsLog.FaxWorkerDatabaseError(logger, e);
        }
    }
}
