namespace CallCenter.ResourceControl.Outbound;

/// <summary>How callbacks are tried (section <c>Callbacks</c>).</summary>
internal sealed class CallbackOptions
{
    public const string Section = "Callbacks";

    /// <summary>Times the client's number is rung before the callback fails for good.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Seconds after a failed attempt (busy, no answer) before the callback waits in its queue again.</summary>
    public int RetrySeconds { get; set; } = 300;

    /// <summary>Seconds the client's phone rings before the attempt counts as not answered.</summary>
    public int RingSeconds { get; set; } = 30;

    /// <summary>Seconds a callback that overflowed its queue (full, or waited its maximum) waits before entering again.</summary>
    public int OverflowRetrySeconds { get; set; } = 30;

    /// <summary>Seconds a due callback owned by an agent waits for that agent (signed in but busy) before anyone in its queue may take it.</summary>
    public int OwnerGraceSeconds { get; set; } = 120;

    public IEnumerable<string> Validate()
    {
        if (OwnerGraceSeconds is < 0 or > 3600)
        {
            yield return $"{Section}:OwnerGraceSeconds must be 0-3600, not {OwnerGraceSeconds}.";
        }

        if (MaxAttempts is < 1 or > 20)
        {
            yield return $"{Section}:MaxAttempts must be 1-20, not {MaxAttempts}.";
        }

        if (RetrySeconds is < 1 or > 86400)
        {
            yield return $"{Section}:RetrySeconds must be 1-86400, not {RetrySeconds}.";
        }

        if (RingSeconds is < 5 or > 300)
        {
            yield return $"{Section}:RingSeconds must be 5-300, not {RingSeconds}.";
        }

        if (OverflowRetrySeconds is < 1 or > 3600)
        {
            yield return $"{Section}:OverflowRetrySeconds must be 1-3600, not {OverflowRetrySeconds}.";
        }
    }
}
