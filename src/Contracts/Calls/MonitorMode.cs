namespace CallCenter.Contracts.Calls;

/// <summary>How a supervisor joins a live agent call.</summary>
public enum MonitorMode
{
    /// <summary>The supervisor hears caller and agent; nobody hears the supervisor.</summary>
    Listen,

    /// <summary>The supervisor hears both and speaks to the agent only.</summary>
    Whisper,

    /// <summary>All three hear each other.</summary>
    Barge,
}
