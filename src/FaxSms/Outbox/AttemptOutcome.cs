namespace CallCenter.FaxSms.Outbox;

/// <summary>What the worker records after one attempt of one message.</summary>
public abstract record AttemptOutcome(string Id, DateTimeOffset At)
{
    public sealed record Sent(string Id, DateTimeOffset At, string? Detail) : AttemptOutcome(Id, At);

    public sealed record Retry(string Id, DateTimeOffset At, string Reason, DateTimeOffset NextAttemptAt) : AttemptOutcome(Id, At);

    public sealed record Failed(string Id, DateTimeOffset At, string Reason) : AttemptOutcome(Id, At);

    /// <summary>The pure decision: what a sender's result means for a message on its <paramref name="attempts"/>-th attempt.</summary>
    public static AttemptOutcome Decide(OutboundMessage message, SendResult result, RetrySchedule schedule, DateTimeOffset now, double jitter)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(schedule);
        return result switch
        {
            SendResult.Accepted accepted => new Sent(message.Id, now, accepted.Detail),
            SendResult.Permanent permanent => new Failed(message.Id, now, permanent.Reason),
            SendResult.Transient transient when schedule.GivesUp(message.Attempts) =>
                new Failed(message.Id, now, $"gave up after {message.Attempts} attempts: {transient.Reason}"),
            SendResult.Transient transient => new Retry(message.Id, now, transient.Reason, now + schedule.DelayAfter(message.Attempts, jitter)),
            _ => throw new ArgumentOutOfRangeException(nameof(result)),
        };
    }
}
