using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using CallCenter.Data.Events;

namespace CallCenter.ResourceControl.Records;

/// <summary>
/// The append-only log of every state change (calls and agents), written off the SIP path: events
/// go into a bounded queue, and the call records' writer (<see cref="CallRecordWriter"/>) appends them
/// in the same transactions as the records, one commit for both; while the database is away the batch
/// is kept and retried, and what is queued at shutdown is drained.
/// </summary>
internal sealed class EventLog(TimeProvider time)
{
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

    /// <summary>The events waiting to be written: <see cref="CallRecordWriter"/> drains them into its batches.</summary>
    internal ChannelReader<PlatformEvent> Waiting => _queue.Reader;

    /// <summary>At shutdown, once the writer drains its last batch: an event written after this is dropped (and counted).</summary>
    internal void Close() => _queue.Writer.TryComplete();
}
