using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CallCenter.FaxSms.Outbox;

/// <summary>
/// Writes delivery reports with group commit: the endpoint posts a report and waits; one loop takes
/// every report waiting (up to <see cref="MaxBatch"/>) and applies them in one transaction, then
/// answers each. The gateway gets its 200 only after its report is committed, so a crash never
/// loses an acknowledged report (a report not acknowledged is retried by smsbox). One commit per
/// batch instead of one per report is what lets reports keep up with hundreds of SMS a second.
/// </summary>
public sealed class DeliveryReportWriter(OutboxRepository outbox, ILogger<DeliveryReportWriter> logger) : BackgroundService
{
    public const int MaxBatch = 500;

    private readonly Channel<(DeliveryReport Report, TaskCompletionSource<bool> Done)> _pending =
        Channel.CreateBounded<(DeliveryReport, TaskCompletionSource<bool>)>(new BoundedChannelOptions(10_000) { SingleReader = true });

    /// <summary>Applies a report once it is committed; false for an unknown message id.</summary>
    public async Task<bool> ApplyAsync(DeliveryReport report, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _pending.Writer.WriteAsync((report, done), cancellationToken);
        return await done.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<(DeliveryReport Report, TaskCompletionSource<bool> Done)>(MaxBatch);
        try
        {
            while (await _pending.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                try
                {
                    var known = await outbox.ApplyReportsAsync([.. batch.Select(b => b.Report)], CancellationToken.None);
                    for (var i = 0; i < batch.Count; i++)
                    {
                        batch[i].Done.TrySetResult(known[i]);
                    }
                }
                catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
                {
                    // Not acknowledged: the gateway gets an error and sends the report again.
                    FaxSmsLog.ReportsNotWritten(logger, batch.Count, e);
                    foreach (var (_, done) in batch)
                    {
                        done.TrySetException(e);
                    }
                }

                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Reports still waiting are not acknowledged; the gateway retries them after the restart.
            while (_pending.Reader.TryRead(out var item))
            {
                item.Done.TrySetCanceled(stoppingToken);
            }
        }
    }
}
