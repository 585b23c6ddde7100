namespace CallCenter.AgentDesk.Admin;

/// <summary>
/// The configuration the admin pages show read-only, handed over by the host (it owns the
/// <c>Routing</c>, <c>Tiers</c> and <c>Sip</c> sections): the queues, the tiers' routing bonus and
/// grading thresholds, and the SIP realm new agents' digest credentials are made for.
/// </summary>
public sealed record AdminSettings(string SipRealm, IReadOnlyList<AdminQueueSettings> Queues, AdminTierSettings Tiers);

/// <summary>One queue under <c>Routing:Queues:&lt;id&gt;</c>.</summary>
public sealed record AdminQueueSettings(
    string Id, IReadOnlyList<string> Skills, int MaxLength, int MaxWaitSeconds, string Overflow, string Strategy, bool Closed)
{
    /// <summary><c>headStart</c> or <c>strict</c> (<c>Routing:Queues:&lt;id&gt;:Priority</c>).</summary>
    public string Priority { get; init; } = "headStart";

    /// <summary>A strict queue's starvation guard in seconds; 0 for none.</summary>
    public int StarvationGuardSeconds { get; init; }
}

/// <summary>
/// The client tiers, highest first (the names the client directory and its import accept), the seconds
/// each adds to a caller's wait in queue order (<c>Routing:TierBonusSeconds</c>), and the quarterly
/// grading's thresholds (<c>Tiers:*</c>, by key) with the review job's schedule.
/// </summary>
public sealed record AdminTierSettings(
    IReadOnlyList<string> Names,
    IReadOnlyDictionary<string, int> BonusSeconds,
    IReadOnlyDictionary<string, decimal> Thresholds,
    bool ReviewJob,
    int ReviewDay,
    int ReviewHour)
{
    /// <summary>The grading scheme in use (<c>Tiers:Scheme</c>: futures, securities, …).</summary>
    public string Scheme { get; init; } = "futures";

    /// <summary>The scheme's tiers, highest first, with their names, desk colours, routing weights and thresholds.</summary>
    public IReadOnlyList<AdminTierDefinition> Definitions { get; init; } = [];

    /// <summary>
    /// The businesses served (<c>Tiers:Businesses</c>; one, named as <see cref="Scheme"/>, when it is empty), each with
    /// its scheme's tier names highest first: a client is imported with a tier of their own business's scheme.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyCollection<string>> Businesses { get; init; } = new Dictionary<string, IReadOnlyCollection<string>>();
}

/// <summary>
/// One tier of the scheme in use: directory name, Mandarin and English names, colour, routing weight, thresholds (null:
/// none); with several businesses, whose scheme it is (<c>securities</c>, <c>futures</c>, or both for a shared tier).
/// </summary>
public sealed record AdminTierDefinition(string Name, string Zh, string En, string Colour, int RoutingWeight, decimal? MinEquity, decimal? MinFees, string? Business = null);
