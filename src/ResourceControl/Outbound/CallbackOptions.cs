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

    /// <summary>
    /// Queue callbacks (key 1, key 2 and a number, an overflow) one calling number may have pending at once, counting
    /// those to it and those it asked for; a request for a number already pending keeps that one.
    /// </summary>
    public int MaxPendingPerNumber { get; set; } = 1;

    /// <summary>Pending callbacks one agent may own (booked from their desk, or through the API with an owner).</summary>
    public int MaxPendingPerAgent { get; set; } = 50;

    /// <summary>Minutes after its time (a scheduled one's, else when the caller asked) a waiting callback counts as overdue on the wallboard.</summary>
    public int OverdueMinutes { get; set; } = 30;

    /// <summary>
    /// The wrap-up code with which the agent says a callback's or list call's answerer was not the client (a wrong
    /// number): the callback and its list entry fail for good with outcome <c>wrong-number</c>, never tried again.
    /// </summary>
    public string WrongNumberCode { get; set; } = "wrong-number";

    /// <summary>The wrap-up code with which the agent says the client refused the call: failed for good, outcome <c>refused</c>.</summary>
    public string RefusedCode { get; set; } = "refused";

    public IEnumerable<string> Validate()
    {
        if (MaxPendingPerNumber is < 1 or > 20)
        {
            yield return $"{Section}:MaxPendingPerNumber must be 1-20, not {MaxPendingPerNumber}.";
        }

        if (MaxPendingPerAgent is < 1 or > 1000)
        {
            yield return $"{Section}:MaxPendingPerAgent must be 1-1000, not {MaxPendingPerAgent}.";
        }

        if (OverdueMinutes is < 1 or > 1440)
        {
            yield return $"{Section}:OverdueMinutes must be 1-1440, not {OverdueMinutes}.";
        }

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
