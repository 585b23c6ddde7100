namespace CallCenter.ResourceControl.Agents;

/// <summary>What can happen to an agent: desk and phone facts, requests, call progress and timers.</summary>
/// <remarks>
/// Facts from the outside world (desk login/logout, phone registration) are never refused, only recorded;
/// requests and call progress are refused with a reason when they do not fit the current state.
/// </remarks>
internal abstract record AgentEvent
{
    private AgentEvent()
    {
    }

    /// <summary>The agent signed in at the web desk.</summary>
    public sealed record DeskLogin : AgentEvent;

    /// <summary>The agent signed out of the web desk (or the desk session ended).</summary>
    public sealed record DeskLogout : AgentEvent;

    /// <summary>The agent's SIP phone registered (or refreshed its registration).</summary>
    public sealed record PhoneRegistered : AgentEvent;

    /// <summary>The agent's SIP phone unregistered or its registration expired.</summary>
    public sealed record PhoneUnregistered : AgentEvent;

    /// <summary>The agent asks to take calls.</summary>
    public sealed record SetAvailable : AgentEvent;

    /// <summary>The agent asks for a break.</summary>
    public sealed record SetBreak(string Reason) : AgentEvent;

    /// <summary>The agent stops taking calls.</summary>
    public sealed record SetOffline : AgentEvent;

    /// <summary>The router offers a call; the phone rings for <paramref name="RingTimeout"/> (null: the configured time).</summary>
    public sealed record Offer(string CallId, TimeSpan? RingTimeout = null) : AgentEvent;

    /// <summary>The agent's phone answered the offered call (null call id: whatever call is offered).</summary>
    public sealed record OfferAnswered(string? CallId = null) : AgentEvent;

    /// <summary>The phone refused the offer (busy, decline).</summary>
    public sealed record OfferRejected(string? CallId = null, string? Reason = null) : AgentEvent;

    /// <summary>The ring timer fired; a call id that is not the offered call marks a stale timer.</summary>
    public sealed record OfferTimedOut(string? CallId = null) : AgentEvent;

    /// <summary>The call ended (either side hung up), while ringing or talking.</summary>
    public sealed record CallEnded(string? CallId = null) : AgentEvent;

    /// <summary>The agent ends wrap-up early.</summary>
    public sealed record WrapUpDone : AgentEvent;

    /// <summary>The wrap-up timer fired; a call id that is not the call being wrapped up marks a stale timer.</summary>
    public sealed record WrapUpExpired(string? CallId = null) : AgentEvent;

    /// <summary>
    /// The agent holds an accepted e-mail task (a fact from the e-mail room's database, never refused):
    /// they are not offered calls until it is released.
    /// </summary>
    public sealed record EmailTaskTaken(string TaskId) : AgentEvent;

    /// <summary>The agent's e-mail task was answered, declined or taken back (null: whichever task they hold).</summary>
    public sealed record EmailTaskReleased(string? TaskId = null) : AgentEvent;

    /// <summary>A supervisor changes the agent's state: Available, Break or Offline only.</summary>
    public sealed record SupervisorSetState(AgentStatus Status, string? Reason = null) : AgentEvent;
}
