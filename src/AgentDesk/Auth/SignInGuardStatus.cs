namespace CallCenter.AgentDesk.Auth;

/// <summary>The guard's counters since start and what it holds now (on /health).</summary>
internal readonly record struct SignInGuardStatus(
    long Failures,
    long Bans,
    long Lockouts,
    long Refused,
    long Evictions,
    int SourcesBanned,
    int LoginsLocked,
    int SourcesTracked,
    int PairsTracked);
