namespace CallCenter.Ivr.Flows;

/// <summary>
/// Bounds that keep a session finite whatever the caller does: a DTMF flood, endless '*'
/// repeats or a caller who never stops navigating all end in the fallback (an agent).
/// </summary>
internal static class IvrLimits
{
    /// <summary>Node entries per session; past it the caller goes to the fallback queue.</summary>
    public const int MaxNodeVisits = 200;

    /// <summary>Keys typed ahead (during a barge-in prompt) and kept for the next menu or collect.</summary>
    public const int MaxTypeAhead = 32;

    /// <summary>Keys kept per trace entry.</summary>
    public const int MaxTraceKeys = 64;

    public const int MaxCollectDigits = 32;

    public const int MaxRetries = 9;

    public const double MaxTimeoutSeconds = 120;

    /// <summary>A session older than this goes to the fallback queue at its next event.</summary>
    public static readonly TimeSpan MaxSessionDuration = TimeSpan.FromMinutes(30);
}
