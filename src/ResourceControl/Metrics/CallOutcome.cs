namespace CallCenter.ResourceControl.Metrics;

/// <summary>What a call record counts as in the metrics.</summary>
internal enum CallOutcome
{
    /// <summary>Never entered an agent queue (IVR only), or turned away because the queue was full.</summary>
    NotOffered,

    /// <summary>Queued, and an agent answered.</summary>
    Answered,

    /// <summary>Queued, no agent answered, and the caller hung up.</summary>
    Abandoned,

    /// <summary>Queued, neither answered nor abandoned: sent to a callback, interrupted, ended by the platform.</summary>
    OtherwiseEnded,
}
