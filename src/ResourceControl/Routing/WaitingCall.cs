namespace CallCenter.ResourceControl.Routing;

/// <summary>A caller waiting for an agent, as the IVR hands it to the ACD.</summary>
/// <param name="Id">The call id.</param>
/// <param name="Queue">The queue id the IVR chose.</param>
/// <param name="Tier">The client tier (Diamond, Gold, ...); null for an unknown, ordinary caller.</param>
/// <param name="Language">The caller's language ("zh", "en"); when set, agents need it as a skill.</param>
/// <param name="RequiredSkills">Skills beyond the queue's own (e.g. "futures").</param>
/// <param name="EnteredAt">When the caller entered the queue; the score counts from here, also across overflows.</param>
/// <param name="AccountManager">The extension of the client's account manager, if any.</param>
/// <param name="PriorityHint">The IVR's hint; each step adds <see cref="RoutingOptions.PriorityHintSeconds"/> to the score.</param>
public sealed record WaitingCall(
    string Id,
    string Queue,
    string? Tier,
    string? Language,
    IReadOnlyCollection<string> RequiredSkills,
    DateTimeOffset EnteredAt,
    string? AccountManager = null,
    int PriorityHint = 0)
{
    /// <summary>The caller's number, for the wallboard's list of waiting callers (shown masked); null when unknown.</summary>
    public string? Caller { get; init; }

    /// <summary>The caller leg's SIP Call-ID, so the queue's log lines name the call both ways; null for a callback not yet dialled.</summary>
    public string? SipCallId { get; init; }

    /// <summary>
    /// How long the call is held for <see cref="AccountManager"/> alone when they are signed in but busy (a callback's
    /// owner agent gets its own grace from when it came due); null: <see cref="RoutingOptions.RelationshipOfferSeconds"/> from <see cref="EnteredAt"/>.
    /// </summary>
    public DateTimeOffset? HoldUntil { get; init; }

    /// <summary>
    /// A futures risk notice (margin call 追加保证金, forced liquidation 强行平仓) from a call list: it goes ahead of every
    /// caller and ordinary callback it competes with, whatever their tier, wait or the starvation guard (rule
    /// <see cref="RoutingRule.RiskNotice"/>); among risk notices the usual order holds.
    /// </summary>
    public bool RiskNotice { get; init; }
}
