using CallCenter.Data.Calls;

namespace CallCenter.ResourceControl.Metrics;

/// <summary>Sorts call records into the outcomes the metrics count.</summary>
internal static class CallOutcomes
{
    /// <summary>The disposition of a call the queue could not take: it never waited, so it was not offered.</summary>
    public const string QueueFull = "queue-full";

    /// <summary>Dispositions of a caller who hung up: before an answer they make an abandon.</summary>
    private static readonly HashSet<string> _callerHungUp = new(StringComparer.OrdinalIgnoreCase) { "caller-hung-up", "cancelled" };

    public static CallOutcome Classify(CallRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Queue is null || string.Equals(record.Disposition, QueueFull, StringComparison.OrdinalIgnoreCase))
        {
            return CallOutcome.NotOffered;
        }

        if (record.AnsweredAt is not null)
        {
            return CallOutcome.Answered;
        }

        return _callerHungUp.Contains(record.Disposition) ? CallOutcome.Abandoned : CallOutcome.OtherwiseEnded;
    }

    /// <summary>The moment that places a call in an interval: its queue entry, else its start.</summary>
    public static DateTimeOffset AttributedAt(CallRecord record) => record.QueuedAt ?? record.StartedAt;
}
