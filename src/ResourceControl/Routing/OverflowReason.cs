namespace CallCenter.ResourceControl.Routing;

/// <summary>Why a caller overflowed.</summary>
public enum OverflowReason
{
    /// <summary>The queue already held its <see cref="QueueOptions.MaxLength"/> callers.</summary>
    QueueFull,

    /// <summary>The caller waited the queue's <see cref="QueueOptions.MaxWaitSeconds"/>.</summary>
    MaxWait,

    /// <summary>The queue is <see cref="QueueOptions.Closed"/>.</summary>
    QueueClosed,
}
