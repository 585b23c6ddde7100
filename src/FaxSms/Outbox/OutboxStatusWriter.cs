using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CallCenter.FaxSms.Outbox;

/// <summary>
/// The one writer of sent messages' statuses, with group commit: the worker posts a batch's attempt
/// outcomes and the callback endpoints post delivery reports, each waiting; one loop takes everything
/// waiting (up to <see cref="MaxBatch"/> items) and writes it in one transaction
/// (<see cref="OutboxRepository.WriteStatusesAsync"/>), then answers each. A gateway gets its 200 only
/// after its report is committed, so a crash never loses an acknowledged report (one not acknowledged
/// is sent again by the gateway). With SQLite's <c>synchronous=full</c> every commit is a sync of the
/// log, so one commit for a batch's outcomes and all the reports that came meanwhile, instead of one
/// for each and two writers waiting on each other's lock, is what lets hundreds of SMS a second through.
/// </summary>
public sealed class OutboxStatusWriter(OutboxRepository outbox, ILogger<OutboxStatusWriter> logger) : BackgroundService
{
    public const int MaxBatch = 1000;

    private readonly Channel<Pending> _pending =
        Channel.CreateBounded<Pending>(new BoundedChannelOptions(10_000) { SingleReader = true });

    /// <summary>Applies a report once it is committed; false for an unknown message id.</summary>
    public async Task<bool> ApplyAsync(DeliveryReport report, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _pending.Writer.WriteAsync(new Pending(report, null, done), cancellationToken);
        return await done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Records a batch of attempt outcomes; completes once they are committed.</summary>
    public async Task CompleteAsync(IReadOnlyList<AttemptOutcome> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        if (outcomes.Count == 0)
        {
            return;
        }

        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _pending.Writer.WriteAsync(new Pending(null, outcomes, done), cancellationToken);
        await done.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaxBatch);
        try
        {
            while (await _pending.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                await WriteAsync(batch);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Reports still waiting are not acknowledged; the gateway retries them after the restart. Outcomes
            // not written leave their messages in flight, settled by their reports or sent again (README).
            while (_pending.Reader.TryRead(out var item))
            {
                item.Done.TrySetCanceled(stoppingToken);
            }
        }
    }

    private async Task WriteAsync(List<Pending> batch)
    {
        var outcomes = batch.Where(p => p.Outcomes is not null).SelectMany(p => p.Outcomes!).ToList();
        var reports = batch.Where(p => p.Report is not null).Select(p => p.Report!).ToList();
        try
        {
            var known = await outbox.WriteStatusesAsync(outcomes, reports, CancellationToken.None);
            var r = 0;
            foreach (var item in batch)
            {
                item.Done.TrySetResult(item.Report is null || known[r++]);
            }
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            // Not acknowledged: the gateway gets an error and sends the report again; the worker logs its round.
            FaxSmsLog.ReportsNotWritten(logger, batch.Count, e);
            foreach (var item in batch)
            {
                item.Done.TrySetException(e);
            }
        }
    }

    private sealed record Pending(DeliveryReport? Report, IReadOnlyList<AttemptOutcome>? Outcomes, TaskCompletionSource<bool> Done);
}
