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
/// once (<c>Fax:Concurrency</c>, 4 by default). Every claim names this node (<see cref="FaxNode"/>). At start, a fax
/// this node's stopped run left "sending" is queued again, and one left "rendering" is rendered; on a database other
/// nodes share, another node's are left to it (<see cref="FaxRepository.RequeueInterruptedAsync"/>). Every minute, a
/// claim older than <see cref="FaxOptions.ClaimTimeoutSeconds"/> (a node that died and never came back) is taken back,
/// whoever held it (<see cref="FaxRepository.TakeBackStaleClaimsAsync"/>). On a cluster's node that checks its node id,
/// nothing of this runs while <see cref="NodeIdConfirmed"/> says the id is not this process's.
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
    /// <summary>How often the worker looks for claims older than <see cref="FaxOptions.ClaimTimeoutSeconds"/>.</summary>
    public static readonly TimeSpan StaleClaimCheck = TimeSpan.FromMinutes(1);

    /// <summary>
    /// In a cluster that checks its node ids: whether this process's <c>Cluster:NodeId</c> is confirmed as its own (no
    /// other live process holds it). While it says no, the worker claims nothing and queues nothing again: the rows
    /// claimed under this id may be a live twin's calls (a second process given the same id), and a claim of this
    /// process's would be under a name it does not hold. The start's requeue runs once it says yes. Null: always.
    /// </summary>
    public Func<bool>? NodeIdConfirmed { get; set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new List<Task>();
        var rendering = new List<Task>();
        DateTimeOffset? checkedClaims = null;
        var requeuedAtStart = false;
        var waitingForNodeId = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            running.RemoveAll(t => t.IsCompleted);
            rendering.RemoveAll(t => t.IsCompleted);
            try
            {
                if (NodeIdConfirmed?.Invoke() == false)
                {
                    if (!waitingForNodeId)
                    {
                        FaxSmsLog.FaxWorkerWaitingForNodeId(logger, repository.Node.Id);
                    }

                    waitingForNodeId = true;
                    await WaitAsync(stoppingToken);
                    continue;
                }

                waitingForNodeId = false;
                if (!requeuedAtStart)
                {
                    var requeued = await repository.RequeueInterruptedAsync(time.GetUtcNow(), stoppingToken);
                    requeuedAtStart = true;
                    if (requeued > 0)
                    {
                        FaxSmsLog.FaxClaimsRequeuedAtStart(logger, requeued, repository.Node.Id);
                    }
                }

                if (checkedClaims is not { } last || time.GetUtcNow() - last >= StaleClaimCheck)
                {
                    checkedClaims = time.GetUtcNow();
                    await TakeBackStaleClaimsAsync(checkedClaims.Value, stoppingToken);
                }

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

            await WaitAsync(stoppingToken);
        }

        await Task.WhenAll(running.Concat(rendering));
    }

    // Until a fax is queued (the signal) or the next poll; returns at once when stopping.
    private async Task WaitAsync(CancellationToken stoppingToken)
    {
        try
        {
            await signal.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // The loop's condition ends it.
        }
    }

    private async Task TakeBackStaleClaimsAsync(DateTimeOffset now, CancellationToken stoppingToken)
    {
        foreach (var taken in await repository.TakeBackStaleClaimsAsync(now, options.ClaimTimeout, stoppingToken))
        {
            FaxSmsLog.FaxClaimTakenBack(logger, taken.Id, taken.Status, taken.HeldBy ?? "(none named)", taken.ClaimedAt, options.ClaimTimeoutSeconds, repository.Node.Id);
        }
    }

    private async Task RenderAsync(FaxRecord fax, CancellationToken stoppingToken)
    {
        // Off the loop's thread at once: the loop goes on claiming while ghostscript runs.
        await Task.Yield();
        try
        {
            var outcome = await outbox.RenderClaimedAsync(fax, stoppingToken);
            if (outcome.Status is null)
            {
                FaxSmsLog.FaxRenderClaimLost(logger, fax.Id, repository.Node.Id);
            }
            else if (outcome.Error is null)
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
            // The row stays "rendering", claimed, and is rendered again at this node's next start (or once the claim is old).
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
            // The row stays "sending" and is queued again at this node's next start, or by any worker once the claim is
            // older than Fax:ClaimTimeoutSeconds: at worst pages go twice, never lost.
            FaxSmsLog.FaxWorkerDatabaseError(logger, e);
        }
    }
}
