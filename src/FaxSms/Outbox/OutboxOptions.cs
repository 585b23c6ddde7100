namespace CallCenter.FaxSms.Outbox;

/// <summary>The <c>Outbox</c> section: how the worker sends and retries.</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>Delay before the second attempt; doubles each time up to <see cref="RetryMaxSeconds"/>.</summary>
    public double RetryFirstSeconds { get; set; } = 2;

    public double RetryMaxSeconds { get; set; } = 300;

    /// <summary>Attempts before a message fails for good (with 2 s doubling to 5 min: about 1.5 hours of trying).</summary>
    public int MaxAttempts { get; set; } = 25;

    /// <summary>
    /// How long a message a stopped run left mid-send waits for its delivery report before it is sent
    /// again (see src/FaxSms/README.md: this is the only window where a duplicate can happen).
    /// </summary>
    public double UncertainSeconds { get; set; } = 60;

    /// <summary>Messages claimed at once, and sent at once.</summary>
    public int BatchSize { get; set; } = 200;

    public int Concurrency { get; set; } = 32;

    /// <summary>How often the worker looks for due messages when it was not woken by a new one.</summary>
    public double PollSeconds { get; set; } = 1;

    public RetrySchedule ToSchedule() => new(TimeSpan.FromSeconds(RetryFirstSeconds), TimeSpan.FromSeconds(RetryMaxSeconds), MaxAttempts);

    public IEnumerable<string> Validate()
    {
        if (RetryFirstSeconds <= 0 || RetryMaxSeconds < RetryFirstSeconds)
        {
            yield return "Outbox:RetryFirstSeconds must be above 0 and Outbox:RetryMaxSeconds at least as long.";
        }

        if (MaxAttempts < 1)
        {
            yield return "Outbox:MaxAttempts must be at least 1.";
        }

        if (UncertainSeconds < 1)
        {
            yield return "Outbox:UncertainSeconds must be at least 1.";
        }

        if (BatchSize is < 1 or > 10000 || Concurrency is < 1 or > 1000)
        {
            yield return "Outbox:BatchSize must be 1-10000 and Outbox:Concurrency 1-1000.";
        }

        if (PollSeconds is <= 0 or > 60)
        {
            yield return "Outbox:PollSeconds must be above 0 and at most 60.";
        }
    }
}
