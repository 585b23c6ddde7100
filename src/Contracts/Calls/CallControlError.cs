namespace CallCenter.Contracts.Calls;

/// <summary>Why a call-control request was refused; <see cref="None"/> when it was done.</summary>
public enum CallControlError
{
    None,

    /// <summary>No live call has this id.</summary>
    UnknownCall,

    /// <summary>The call is not with an agent (still in the IVR, waiting or ringing).</summary>
    NotBridged,

    /// <summary>The target is neither an agent nor a queue (external numbers need a trunk, which the platform does not have).</summary>
    UnknownTarget,

    /// <summary>The target agent cannot take the call now (not available, or already on it).</summary>
    TargetUnavailable,
}
