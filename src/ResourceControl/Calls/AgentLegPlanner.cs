namespace CallCenter.ResourceControl.Calls;

/// <summary>A leg the call rings or holds, as the agent-leg decisions see it: whose phone, and whether it answered.</summary>
internal readonly record struct LegView(string Extension, bool Answered);

/// <summary>What an offer that could not ring does to the call.</summary>
internal enum OfferFallback
{
    /// <summary>The caller waits for the next agent: back in the queue at once.</summary>
    Requeue,

    /// <summary>A consultation that cannot ring: the caller and the call's agent hear each other again.</summary>
    ReconnectCaller,

    /// <summary>Nothing now: the agent's state machine withdraws the offer, and that event re-queues the call.</summary>
    AwaitWithdrawal,
}

/// <summary>Which leg an agent's withdrawn offer (no answer in time, a rejection) ends.</summary>
internal enum WithdrawnLeg
{
    None,

    /// <summary>The consulted agent's phone still rang: the consultation ends, the caller goes back to their agent.</summary>
    Consult,

    /// <summary>The call's agent's phone still rang: the leg ends as a miss.</summary>
    Agent,
}

/// <summary>
/// The agent legs' decisions, pure: what follows an offer that could not ring, whether a phone's 2xx
/// is still wanted, which leg a withdrawn offer ends, when the caller goes back to the queue, and how
/// the agent's leg ends with the call.
/// </summary>
internal static class AgentLegPlanner
{
    /// <summary>Presence refused the offer (the agent is no longer available): nothing rang, nothing to withdraw.</summary>
    public static OfferFallback WhenRefused(bool consult) => consult ? OfferFallback.ReconnectCaller : OfferFallback.Requeue;

    /// <summary>
    /// The offer was taken but the phone cannot ring (not registered, no RTP port): the record's outcome,
    /// the miss's reason for presence, and what follows.
    /// </summary>
    public static (string Outcome, string Reason, OfferFallback Then) WhenUnreachable(bool phoneFound, bool consult) =>
        (phoneFound ? "no-media-ports" : "unreachable",
         phoneFound ? "no media ports" : "phone not reachable",
         consult ? OfferFallback.ReconnectCaller : OfferFallback.AwaitWithdrawal);

    /// <summary>A phone's 2xx joins the call only while the call lives and the leg is still its agent or consult leg; else ACK and BYE.</summary>
    public static bool WantsAnswer(bool ended, bool isAgentLeg, bool isConsultLeg) =>
        !ended && (isAgentLeg || isConsultLeg);

    /// <summary>An offer to <paramref name="extension"/> was withdrawn: the still ringing leg of that agent ends; an answered one stays.</summary>
    public static WithdrawnLeg Withdrawn(LegView? consult, LegView? agent, string extension) =>
        consult is { Answered: false } c && c.Extension == extension ? WithdrawnLeg.Consult
        : agent is { Answered: false } a && a.Extension == extension ? WithdrawnLeg.Agent
        : WithdrawnLeg.None;

    /// <summary>After a withdrawal: a live call with no agent leg that waited in a queue goes back to it.</summary>
    public static bool Requeues(bool ended, bool hasAgentLeg, bool waited) => !ended && !hasAgentLeg && waited;

    /// <summary>
    /// The call ends with an agent leg: a ringing one is cancelled (not the agent's miss); an answered one
    /// ends as the agent hanging up (no BYE back to them) or as answered (the platform sends the BYE).
    /// </summary>
    public static (string Outcome, bool SendBye) Ending(bool answered, bool agentHungUp) =>
        !answered ? ("cancelled", true)
        : agentHungUp ? ("agent-hung-up", false)
        : ("answered", true);
}
