namespace CallCenter.ResourceControl.Routing;

/// <summary>How a queue orders its waiting callers (<c>Routing:Queues:&lt;id&gt;:Priority</c>).</summary>
public enum QueuePriority
{
    /// <summary>
    /// Score = seconds waited + the tier's head start (<see cref="RoutingOptions.TierBonusSeconds"/>) + the IVR's hint:
    /// a higher tier moves ahead, yet an ordinary caller who waited longer than the difference goes first.
    /// </summary>
    HeadStart,

    /// <summary>
    /// Tier first (a higher <see cref="RoutingOptions.TierBonusSeconds"/> weight is served before a lower one, whatever
    /// the wait), then waiting time plus the IVR's hint; a caller past the queue's
    /// <see cref="QueueOptions.StarvationGuardSeconds"/> goes next whatever their tier (securities: 银卡电话优先接入).
    /// </summary>
    Strict,
}
