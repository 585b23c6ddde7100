namespace CallCenter.ResourceControl.Routing;

/// <summary>What happens to an overflowing caller.</summary>
public enum OverflowAction
{
    /// <summary>The caller now waits in another queue (the router has moved it).</summary>
    MoveToQueue,

    /// <summary>The caller leaves the queue and is offered a callback (the router has removed it).</summary>
    Callback,
}
