using System.Data.Common;
using System.Threading.Channels;
using CallCenter.Data.Calls;

namespace CallCenter.ResourceControl.Records;

/// <summary>
/// Writes call records off the SIP path: calls hand their record to a bounded queue and go on;
/// one loop inserts them, and while the database is away it keeps them and retries with back-off,
/// so a brief outage loses nothing. On shutdown it drains what is queued. A call is also noted as
/// open when it is answered (the same queue, so always before its record): a process stopped
/// mid-call leaves it open, and the next start closes it as interrupted.
/// </summary>
internal sealed partial class CallRecordWriter(CallRecordRepository repository, ILogger<CallRecordWriter> logger) : BackgroundService
{
    private static readonly TimeSpan _maxBackoff = TimeSpan.FromSeconds(5);
    private readonly Channel<Item> _queue = Channel.CreateBounded<Item>(new BoundedChannelOptions(100_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private long _written;

    public long Written => Interlocked.Read(ref _written);

    public int Pending => _queue.Reader.Count;

    /// <summary>Queues the record; waits only when 100,000 records are already waiting.</summary>
    public ValueTask EnqueueAsync(CallRecord record) => _queue.Writer.WriteAsync(new Item(record.Id, record, null));

    /// <summary>Notes the call as in progress; dropped (not waited for) when the queue is full.</summary>
    public void Open(string id, string caller, string dialed, DateTimeOffset startedAt) =>
        _queue.Writer.TryWrite(new Item(id, null, (caller, dialed, startedAt)));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var record in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                await WriteWithRetryAsync(record, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync drains the rest.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var record))
        {
            await WriteWithRetryAsync(record, cancellationToken);
        }
    }

    private async Task WriteWithRetryAsync(Item item, CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                if (item.Record is { } record)
                {
                    await repository.InsertOnceAsync(record, CancellationToken.None);
                    Interlocked.Increment(ref _written);
                }
                else if (item.Open is var (caller, dialed, startedAt))
                {
                    await repository.OpenAsync(item.Id, caller, dialed, startedAt, CancellationToken.None);
                }

                return;
            }
            catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException)
            {
                LogRetry(logger, item.Id, e.Message, backoff.TotalMilliseconds);
                try
                {
                    await Task.Delay(backoff, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    LogLost(logger, item.Id);
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _maxBackoff.Ticks));
            }
        }
    }

    private sealed record Item(string Id, CallRecord? Record, (string Caller, string Dialed, DateTimeOffset StartedAt)? Open);

    [LoggerMessage(2300, LogLevel.Warning, "Call record {CallId} not written yet ({Error}); retrying in {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, string callId, string error, double delayMs);

    [LoggerMessage(2301, LogLevel.Error, "Call record {CallId} could not be written before shutdown")]
    private static partial void LogLost(ILogger logger, string callId);
}
