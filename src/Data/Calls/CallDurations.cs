namespace CallCenter.Data.Calls;

/// <summary>
/// How a record counts a call's times, in one place for the record written at the end and the one a
/// crash leaves: wait from entering the queue to an agent's answer (or the end, for a caller who gave
/// up); talk from the answer to the end less the time on hold. Never negative, whatever the clocks said.
/// </summary>
public static class CallDurations
{
    public static double WaitSeconds(DateTimeOffset? queuedAt, DateTimeOffset? answeredAt, DateTimeOffset endedAt) =>
        queuedAt is { } queued ? Math.Max(0, ((answeredAt ?? endedAt) - queued).TotalSeconds) : 0;

    public static double TalkSeconds(DateTimeOffset? answeredAt, DateTimeOffset endedAt, double holdSeconds) =>
        answeredAt is { } answered ? Math.Max(0, (endedAt - answered).TotalSeconds - holdSeconds) : 0;
}
