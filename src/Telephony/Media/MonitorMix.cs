namespace CallCenter.Telephony.Media;

/// <summary>How a supervisor's leg is mixed into an agent call (who hears the supervisor).</summary>
public enum MonitorMix
{
    /// <summary>The supervisor hears caller and agent; nobody hears the supervisor.</summary>
    Listen,

    /// <summary>The supervisor hears both; the agent hears the supervisor, the caller does not.</summary>
    Whisper,

    /// <summary>All three hear the other two.</summary>
    Barge,
}
