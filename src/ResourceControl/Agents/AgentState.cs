namespace CallCenter.ResourceControl.Agents;

/// <summary>One agent's presence: an immutable snapshot that <see cref="AgentStateMachine"/> turns into the next.</summary>
internal sealed record AgentState
{
    /// <summary>The agent's SIP extension (its id in the REST API).</summary>
    public required string Extension { get; init; }

    public AgentStatus Status { get; init; } = AgentStatus.Offline;

    /// <summary>When the agent entered <see cref="Status"/>: time in state, and "available since" for longest-idle routing.</summary>
    public DateTimeOffset Since { get; init; }

    /// <summary>The call being offered, talked or wrapped up; null otherwise.</summary>
    public string? CallId { get; init; }

    /// <summary>When the ring timeout (Offered) or the wrap-up (WrapUp) ends; null otherwise.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Why the agent is on break or offline ("lunch", "no answer", "phone unregistered"); null otherwise.</summary>
    public string? Reason { get; init; }

    /// <summary>True while the agent's SIP phone is registered; an unregistered agent cannot be available.</summary>
    public bool Registered { get; init; }

    /// <summary>True while the agent is signed in at the web desk.</summary>
    public bool LoggedIn { get; init; }

    /// <summary>The state asked for during a call, taken when wrap-up ends; null: back to available.</summary>
    public AgentPending? Pending { get; init; }

    /// <summary>
    /// The e-mail task the agent accepted and is handling, or null. Orthogonal to <see cref="Status"/> (a task
    /// accepted just before a call rang stays theirs through the call); while it is set the agent is not offered calls.
    /// </summary>
    public string? EmailTask { get; init; }

    /// <summary>Whether the router may offer this agent a call: available and not handling an e-mail task.</summary>
    public bool Routable => Status == AgentStatus.Available && EmailTask is null;

    /// <summary>Offers missed in a row (timed out or rejected); an answered call resets it.</summary>
    public int MissedOffers { get; init; }

    /// <summary>Calls answered on <see cref="CallsDay"/>; read it through <see cref="CallsOn"/>.</summary>
    public int CallsAnswered { get; init; }

    /// <summary>The calendar day <see cref="CallsAnswered"/> counts (in the offset of the times handed in).</summary>
    public DateOnly CallsDay { get; init; }

    /// <summary>A new agent: offline, phone not registered, not signed in.</summary>
    public static AgentState Initial(string extension, DateTimeOffset now) => new() { Extension = extension, Since = now };

    public TimeSpan TimeInState(DateTimeOffset now) => now > Since ? now - Since : TimeSpan.Zero;

    /// <summary>Calls the agent answered on the calendar day of <paramref name="now"/> (0 once the day has turned).</summary>
    public int CallsOn(DateTimeOffset now) => DayOf(now) == CallsDay ? CallsAnswered : 0;

    internal static DateOnly DayOf(DateTimeOffset now) => DateOnly.FromDateTime(now.DateTime);
}
