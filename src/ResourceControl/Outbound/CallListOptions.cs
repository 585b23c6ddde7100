namespace CallCenter.ResourceControl.Outbound;

/// <summary>Compliance call lists (section <c>CallLists</c>): the deadlines the rules give, escalation and retries.</summary>
internal sealed class CallListOptions
{
    public const string Section = "CallLists";

    /// <summary>The queue whose agents take list calls unless a list names its own.</summary>
    public string Queue { get; set; } = "general";

    /// <summary>Hours a new account's confirmation call may take (the client confirms their account manager).</summary>
    public int NewAccountHours { get; set; } = 72;

    /// <summary>Hours after a complaint's resolution by which the client is called back.</summary>
    public int ComplaintHours { get; set; } = 24;

    /// <summary>Minutes by which a futures risk notice (margin call, forced liquidation) must reach the client.</summary>
    public int RiskNoticeMinutes { get; set; } = 60;

    /// <summary>An open entry whose deadline is this near is escalated to the supervisors (once).</summary>
    public int EscalateMinutesBefore { get; set; } = 30;

    /// <summary>Seconds between the escalation checks.</summary>
    public int CheckSeconds { get; set; } = 30;

    /// <summary>A list's default retry rules: times the number is rung, and seconds between attempts.</summary>
    public int MaxAttempts { get; set; } = 3;

    public int RetrySeconds { get; set; } = 600;

    /// <summary>Seconds an agent may hold a preview entry without dialling or skipping it before it goes back to its list.</summary>
    public int PreviewSeconds { get; set; } = 300;

    /// <summary>The wrap-up codes by which an agent records a new-account client's answer: confirmed, denied.</summary>
    public string ConfirmedCode { get; set; } = "manager-confirmed";

    public string DeniedCode { get; set; } = "manager-denied";

    /// <summary>Seconds a skipped preview entry waits before it is offered again.</summary>
    public int SkipPauseSeconds { get; set; } = 900;

    /// <summary>
    /// A new-account call's question to the client: how many times it is put again after <see cref="QuestionSilenceSeconds"/>
    /// of silence from the client once played; then it ends as "no key from the client".
    /// </summary>
    public int QuestionRepeats { get; set; } = 2;

    public int QuestionSilenceSeconds { get; set; } = 5;

    /// <summary>
    /// Core clients' periodic review calls: the tiers whose clients are called (<c>--CallLists:CoreClientTiers=Diamond,Platinum</c>;
    /// empty, the default: no review calls are made), each client again <see cref="CoreClientEveryDays"/> after their last
    /// review entry was made. The entries go on the standing <c>core-client</c> list with its 7-day deadline.
    /// </summary>
    public List<string> CoreClientTiers { get; set; } = [];

    public int CoreClientEveryDays { get; set; } = 90;

    public IEnumerable<string> Validate()
    {
        foreach (var (key, value, min, max) in new[]
        {
            ("NewAccountHours", NewAccountHours, 1, 24 * 90), ("ComplaintHours", ComplaintHours, 1, 24 * 30), ("RiskNoticeMinutes", RiskNoticeMinutes, 1, 24 * 60),
            ("EscalateMinutesBefore", EscalateMinutesBefore, 0, 24 * 60 * 7), ("CheckSeconds", CheckSeconds, 1, 3600), ("MaxAttempts", MaxAttempts, 1, 20), ("RetrySeconds", RetrySeconds, 1, 86400),
            ("PreviewSeconds", PreviewSeconds, 10, 3600), ("SkipPauseSeconds", SkipPauseSeconds, 0, 7 * 86400),
            ("QuestionRepeats", QuestionRepeats, 0, 5), ("QuestionSilenceSeconds", QuestionSilenceSeconds, 1, 60),
            ("CoreClientEveryDays", CoreClientEveryDays, 1, 366),
        })
        {
            if (value < min || value > max)
            {
                yield return $"{Section}:{key} must be {min}-{max}, not {value}.";
            }
        }

        if (string.IsNullOrWhiteSpace(Queue))
        {
            yield return $"{Section}:Queue must name a queue.";
        }
    }
}
