namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// How agents handled a call, for its record, its progress writes and the wallboard: why its agent was offered it
/// (<paramref name="RoutingReason"/>), who answered and when the first one did, how long agents' phones rang and how
/// long the caller was held. One immutable value (<see cref="ActiveCall.Handling"/>) that the call's loop replaces
/// through the steps here; times only ever add up, and the first answer's time stays.
/// </summary>
internal readonly record struct CallHandling(
    string? Agent = null,
    DateTimeOffset? AnsweredAt = null,
    string? RoutingReason = null,
    double RingSeconds = 0,
    double HoldSeconds = 0)
{
    /// <summary>The call's agent leg was offered to an agent, for <paramref name="reason"/> (the router's words).</summary>
    public CallHandling Offered(string? reason) => this with { RoutingReason = reason };

    /// <summary>
    /// The agent at <paramref name="extension"/> answered a leg offered at <paramref name="offeredAt"/>: they are the call's
    /// agent, their ring counts, and the call is answered from now unless an agent answered before (a re-offer, a transfer).
    /// </summary>
    public CallHandling AgentAnswered(string extension, DateTimeOffset offeredAt, DateTimeOffset now) =>
        this with { Agent = extension, AnsweredAt = AnsweredAt ?? now, RingSeconds = RingSeconds + Seconds(offeredAt, now) };

    /// <summary>An agent's phone stopped ringing unanswered (withdrawn, refused, the caller hung up): its ring counts.</summary>
    public CallHandling RingEnded(DateTimeOffset offeredAt, DateTimeOffset now) => this with { RingSeconds = RingSeconds + Seconds(offeredAt, now) };

    /// <summary>A hold ended (a resume, or the leg closed while held): its time counts.</summary>
    public CallHandling Held(double seconds) => this with { HoldSeconds = HoldSeconds + Math.Max(0, seconds) };

    /// <summary>The consulted agent took the call over (an attended transfer completed): they are its agent now.</summary>
    public CallHandling TakenOverBy(string extension) => this with { Agent = extension };

    // A clock stepped back (NTP) must not take time off the record.
    private static double Seconds(DateTimeOffset from, DateTimeOffset to) => Math.Max(0, (to - from).TotalSeconds);
}
