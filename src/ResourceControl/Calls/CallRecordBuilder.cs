using CallCenter.Data.Calls;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// The record a call leaves when it ends, from its facts alone (pure): the caller's leg first, then
/// every agent leg; wait and talk as <see cref="CallDurations"/> counts them.
/// </summary>
internal static class CallRecordBuilder
{
    public static CallRecord Build(ICallFacts call, CallDisposition disposition, DateTimeOffset endedAt, string? recording, string? recordingSha256) => new()
    {
        Id = call.Id,
        Caller = call.Caller,
        Dialed = call.Dialed,
        Direction = call.Direction,
        Tier = call.Tier,
        IvrPath = [.. call.IvrPath],
        Queue = call.Queue,
        Agent = call.Agent,
        StartedAt = call.StartedAt,
        EndedAt = endedAt,
        QueuedAt = call.QueuedAt,
        AnsweredAt = call.AnsweredAt,
        WaitSeconds = CallDurations.WaitSeconds(call.QueuedAt, call.AnsweredAt, endedAt),
        TalkSeconds = CallDurations.TalkSeconds(call.AnsweredAt, endedAt, call.HoldSeconds),
        RingSeconds = call.RingSeconds,
        HoldSeconds = call.HoldSeconds,
        Legs = [new CallLeg("caller", call.Caller, call.StartedAt, call.StartedAt, endedAt, disposition.Value), .. call.Legs],
        Routing = call.RoutingReason,
        Disposition = disposition.Value,
        Recording = recording,
        RecordingSha256 = recordingSha256,
        ListId = call.OutboundAttempt?.ListId,
        ListEntryId = call.OutboundAttempt?.ListEntryId,
        Attempt = call.OutboundAttempt?.Attempt,
        Outcome = call.OutboundAttempt is { } attempt ? Outbound.CallbackPlanner.RecordOutcome(attempt.Outcome, attempt.AgentOutcome) : null,
        Fax = call.Fax,
    };

    /// <summary>
    /// What is known of a call still in progress, as a record kept with its open row so that a crash
    /// loses none of it: the caller's leg and the leg up now (<paramref name="live"/>) have no end yet;
    /// the ending, when it comes, is the real record's (or, after a crash, <c>InterruptedCall.Close</c>'s).
    /// </summary>
    public static CallRecord Progress(ICallFacts call, DateTimeOffset now, string? recording, CallLeg? live)
    {
        var record = Build(call, CallDisposition.InProgress, now, recording, null);
        return record with
        {
            Legs = [record.Legs[0] with { EndedAt = null }, .. call.Legs, .. live is null ? Array.Empty<CallLeg>() : [live]],
        };
    }

    /// <summary>
    /// What a progress write is taken for: a new one is queued when this changes (identified, queued,
    /// offered, bridged, a leg ended, held, recorded), not on every event of the call.
    /// </summary>
    public static ProgressKey KeyOf(ICallFacts call, string? recording, CallLeg? live) =>
        new(call.Tier, call.Queue, call.QueuedAt, call.Agent, call.AnsweredAt, call.RoutingReason, call.Legs.Count, call.HoldSeconds, recording, live);
}

/// <summary>The facts of a call whose change is worth a progress write (see <see cref="CallRecordBuilder.KeyOf"/>).</summary>
internal readonly record struct ProgressKey(
    string? Tier,
    string? Queue,
    DateTimeOffset? QueuedAt,
    string? Agent,
    DateTimeOffset? AnsweredAt,
    string? Routing,
    int Legs,
    double HoldSeconds,
    string? Recording,
    CallLeg? Live);
