namespace CallCenter.ResourceControl.Routing;

/// <summary>How a queue picks among several available agents who may all take a call.</summary>
public enum RoutingStrategy
{
    /// <summary>The agent who has been available the longest (the fairest spread of work).</summary>
    LongestIdle,

    /// <summary>The agent who handled the fewest calls today; longest idle among equals.</summary>
    FewestCalls,

    /// <summary>The next agent after the queue's last assigned one, in extension order.</summary>
    RoundRobin,
}
