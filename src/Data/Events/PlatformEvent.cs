namespace CallCenter.Data.Events;

/// <summary>
/// One state change in the append-only event log: a call's (answered, queued, offered, bridged,
/// held, ended...) or an agent's (state changes). <see cref="Detail"/> is a JSON object or null.
/// </summary>
public sealed record PlatformEvent(DateTimeOffset At, string Kind, string? CallId = null, string? Agent = null, string? Detail = null)
{
    /// <summary>The log's sequence number: assigned when written, 0 before.</summary>
    public long Seq { get; init; }
}
