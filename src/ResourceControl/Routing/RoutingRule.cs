namespace CallCenter.ResourceControl.Routing;

/// <summary>The rule that decided an assignment.</summary>
public enum RoutingRule
{
    /// <summary>The caller's own account manager took the call.</summary>
    Relationship,

    /// <summary>An agent became available and took the highest-scored call it may take.</summary>
    HighestScore,

    /// <summary>A call found several agents; the one available the longest took it.</summary>
    LongestIdle,

    /// <summary>A call found several agents; the one with the fewest calls today took it.</summary>
    FewestCalls,

    /// <summary>A call found several agents; the next one after the queue's last took it.</summary>
    RoundRobin,

    /// <summary>An agent became available and took a strict queue's caller who had waited past its starvation guard, ahead of every tier.</summary>
    StarvationGuard,

    /// <summary>A supervisor picked the waiting call for this available agent (skills and holds are the supervisor's call).</summary>
    SupervisorPick,

    /// <summary>
    /// An agent became available and took a futures risk notice (margin call, forced liquidation) ahead of every waiting
    /// caller and ordinary callback, whatever their tier or wait: the notice must reach the client fast.
    /// </summary>
    RiskNotice,
}
