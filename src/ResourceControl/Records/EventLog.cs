using System.Buffers;
using System.Data.Common;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using CallCenter.Data.Events;

namespace CallCenter.ResourceControl.Records;

/// <summary>
/// The append-only log of every state change (calls and agents), written off the SIP path: events
/// go into a bounded queue and one loop appends them in batches; while the database is away the
/// batch is kept and retried, and what is queued at shutdown is drained.
/// </summary>
internal sealed partial class EventLog(EventRepository repository, TimeProvider time, ILogger<EventLog> logger) : BackgroundService
{
    private const int MaxBatch = 500;

    // Group commit: events that arrive within this window of the first share its transaction, so a
    // burst pays one log sync (and one write of the pages it touches) instead of one per event.
    // Events are a log, not a reply: 20 ms later on disk costs nobody anything.
    private static readonly TimeSpan _commitWindow = TimeSpan.FromMilliseconds(20);
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);
    private readonly Channel<PlatformEvent> _queue = Channel.CreateBounded<PlatformEvent>(new BoundedChannelOptions(200_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    private long _dropped;

    /// <summary>Events refused because 200,000 were already waiting (the database has been away a long time).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>
    /// Logs an event now; <paramref name="detail"/> is serialized as camelCase JSON. An event about a
    /// call also names its SIP Call-ID (<paramref name="sipCallId"/>, the detail's <c>sipCallId</c>),
    /// so the call's whole life is found by either id.
    /// </summary>
    public void Write(EventKind kind, string? callId = null, string? agent = null, object? detail = null, string? sipCallId = null)
    {
        var e = new PlatformEvent(time.GetUtcNow(), kind.Value, callId, agent, Detail(detail, sipCallId));
        if (!_queue.Writer.TryWrite(e))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>
    /// The most of a SIP Call-ID an event keeps: RFC 3261 sets no bound, and a peer's 60 kB Call-ID
    /// copied into each of a call's events would fill the queue's memory long before its 200,000 events.
    /// </summary>
    internal const int MaxSipCallIdChars = 256;

    internal static string? Detail(object? detail, string? sipCallId)
    {
        if (sipCallId is null)
        {
            return detail is null ? null : JsonSerializer.Serialize(detail, _json);
        }

        var kept = sipCallId.Length <= MaxSipCallIdChars ? sipCallId : sipCallId[..MaxSipCallIdChars] + "…";
        ReadOnlySpan<byte> inner = default;
        if (detail is not null)
        {
            // Every call's events come this way (two or more a call): the detail's own JSON object is copied with the
            // Call-ID added at its end, rather than built into a JsonNode tree to add one property. A detail that is
            // not an object, or that names its own sipCallId, goes the long way (the Call-ID given here wins).
            var own = JsonSerializer.SerializeToUtf8Bytes(detail, _json);
            if (own.Length < 2 || own[0] != (byte)'{' || own[^1] != (byte)'}' || own.AsSpan().IndexOf("\"sipCallId\""u8) >= 0)
            {
                return Joined(detail, kept);
            }

            inner = own.AsSpan(1, own.Length - 2);
        }

        var buffer = new ArrayBufferWriter<byte>(inner.Length + kept.Length + 32);
        buffer.Write("{"u8);
        if (!inner.IsEmpty)
        {
            buffer.Write(inner);
            buffer.Write(","u8);
        }

        buffer.Write("\"sipCallId\":"u8);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = _json.Encoder }))
        {
            writer.WriteStringValue(kept);
        }

        buffer.Write("}"u8);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Joined(object detail, string sipCallId)
    {
        var node = JsonSerializer.SerializeToNode(detail, _json) as JsonObject ?? new JsonObject { ["value"] = JsonSerializer.SerializeToNode(detail, _json) };
        node["sipCallId"] = sipCallId;
        return node.ToJsonString(_json);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PlatformEvent>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                if (_queue.Reader.Count < MaxBatch)
                {
                    // Fewer than a full batch waiting: let more join it. A full one goes at once (no cap on the rate).
                    await Task.Delay(_commitWindow, time, stoppingToken);
                }

                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var e))
                {
                    batch.Add(e);
                }

                await AppendWithRetryAsync(batch, stoppingToken);
                batch.Clear();
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
        var rest = new List<PlatformEvent>();
        while (_queue.Reader.TryRead(out var e))
        {
            rest.Add(e);
        }

        await AppendWithRetryAsync(rest, cancellationToken);
    }

    private async Task AppendWithRetryAsync(List<PlatformEvent> batch, CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        while (batch.Count > 0)
        {
            try
            {
                await repository.AppendAsync(batch, CancellationToken.None);
                return;
            }
            catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException)
            {
                LogRetry(logger, batch.Count, e.Message);
                try
                {
                    await Task.Delay(backoff, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    LogLost(logger, batch.Count);
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    [LoggerMessage(2310, LogLevel.Warning, "{Count} events not written yet ({Error}); retrying")]
    private static partial void LogRetry(ILogger logger, int count, string error);

    [LoggerMessage(2311, LogLevel.Error, "{Count} events could not be written before shutdown")]
    private static partial void LogLost(ILogger logger, int count);
}
