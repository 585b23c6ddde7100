namespace CallCenter.AgentDesk.Admin;

/// <summary>
/// The configuration the admin pages show read-only, handed over by the host (it owns the
/// <c>Routing</c>, <c>Tiers</c> and <c>Sip</c> sections): the queues, the tiers' routing bonus and
/// grading thresholds, and the SIP realm new agents' digest credentials are made for.
/// </summary>
public sealed record AdminSettings(string SipRealm, IReadOnlyList<AdminQueueSettings> Queues, AdminTierSettings Tiers);

/// <summary>One queue under <c>Routing:Queues:&lt;id&gt;</c>.</summary>
public sealed record AdminQueueSettings(
    string Id, IReadOnlyList<string> Skills, int MaxLength, int MaxWaitSeconds, string Overflow, string Strategy, bool Closed);

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
    int ReviewHour);
