namespace CallCenter.AgentDesk.Hubs;

/// <summary>The supervisor's wallboard at one moment: queues, agents, and today's figures per interval.</summary>
public sealed record WallboardView(
    DateTimeOffset At,
    IReadOnlyList<WallboardQueue> Queues,
    IReadOnlyDictionary<string, int> AgentsByState,
    IReadOnlyList<WallboardAgent> Agents,
    IReadOnlyList<WallboardInterval> Intervals)
{
    /// <summary>Today's callers turned away from a VIP line (below its tiers, or unknown) and sent on to the main menu.</summary>
    public int VipLineTurnedAway { get; init; }

    /// <summary>The newest call list escalations (<see cref="ListAlertBoard.Kept"/> at most), newest first.</summary>
    public IReadOnlyList<Contracts.Desk.ListEscalation> ListEscalations { get; init; } = [];

    /// <summary>Call lists with entries still owed: open, due (deadline near) and overdue counts, most overdue first.</summary>
    public IReadOnlyList<Contracts.Desk.ListDeadlineCount> ListDeadlines { get; init; } = [];

    /// <summary>
    /// The database the view's call list counts were read from (<see cref="Data.StoreIdentity"/>, an opaque hash), or
    /// null when not known (a node of an older version): nodes that share one database count its lists once.
    /// </summary>
    public string? Store { get; init; }

    /// <summary>Callbacks still owed per queue: due now (in the queue), later (scheduled or a retry's wait), being dialled, and overdue.</summary>
    public IReadOnlyList<Contracts.Desk.CallbackCount> Callbacks { get; init; } = [];

    /// <summary>
    /// Received faxes still to handle (supervisors' tasks, <c>/desk/faxes</c>) and when the oldest came in, read from the
    /// database with the other figures; null when the platform has no fax room or the count was never read.
    /// </summary>
    public Contracts.Desk.FaxTaskCount? FaxTasks { get; init; }
}

/// <summary>
/// A queue now (waiting callers by tier, longest wait) and today (offered, answered, abandoned, service level; null when
/// nothing was answered). Offered and answered count calls still going on too: offered once queued, answered once an
/// agent answered, not only once the wrap-up wrote the record.
/// </summary>
public sealed record WallboardQueue(
    string Id,
    int Waiting,
    IReadOnlyDictionary<string, int> WaitingByTier,
    double LongestWaitSeconds,
    int AgentsAvailable,
    int Offered,
    int Answered,
    int Abandoned,
    double? ServiceLevel)
{
    /// <summary>The callers waiting, in the order they will be served, numbers masked.</summary>
    public IReadOnlyList<Contracts.Queues.WaitingCallerView> Callers { get; init; } = [];
}

/// <summary>An agent in the grid: state, time in it, the call they are on (caller's number) if any.</summary>
public sealed record WallboardAgent(string Id, string? Name, string State, string? Reason, DateTimeOffset Since, bool Registered, string? CallId, string? Caller);

/// <summary>One interval of today (Metrics:IntervalMinutes, 15 by default) for the charts.</summary>
public sealed record WallboardInterval(DateTimeOffset Start, int Offered, int Answered, int Abandoned, double? ServiceLevel);
