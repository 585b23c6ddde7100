using CallCenter.Data.Calls;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// The record a call leaves when it ends, from its facts alone (pure): the caller's leg first, then
/// every agent leg; wait from entering the queue to an agent's answer (or the end, for a caller who
/// gave up); talk from the answer to the end less the time on hold. Never negative, whatever the
/// clocks said.
/// </summary>
internal static class CallRecordBuilder
{
    public static CallRecord Build(ICallFacts call, CallDisposition disposition, DateTimeOffset endedAt, string? recording, string? recordingSha256) => new()
    {
        Id = call.Id,
        Caller = call.Caller,
        Dialed = call.Dialed,
        Tier = call.Tier,
        IvrPath = [.. call.IvrPath],
        Queue = call.Queue,
        Agent = call.Agent,
        StartedAt = call.StartedAt,
        EndedAt = endedAt,
        QueuedAt = call.QueuedAt,
        AnsweredAt = call.AnsweredAt,
        WaitSeconds = call.QueuedAt is { } queued ? Math.Max(0, ((call.AnsweredAt ?? endedAt) - queued).TotalSeconds) : 0,
        TalkSeconds = call.AnsweredAt is { } answered ? Math.Max(0, (endedAt - answered).TotalSeconds - call.HoldSeconds) : 0,
        RingSeconds = call.RingSeconds,
        HoldSeconds = call.HoldSeconds,
        Legs = [new CallLeg("caller", call.Caller, call.StartedAt, call.StartedAt, endedAt, disposition.Value), .. call.Legs],
        Routing = call.RoutingReason,
        Disposition = disposition.Value,
        Recording = recording,
        RecordingSha256 = recordingSha256,
    };
}
