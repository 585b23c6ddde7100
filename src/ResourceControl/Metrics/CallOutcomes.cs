using CallCenter.Data.Calls;

namespace CallCenter.ResourceControl.Metrics;

/// <summary>Sorts call records into the outcomes the metrics count.</summary>
internal static class CallOutcomes
{
    public static CallOutcome Classify(CallRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        // A call the queue could not take never waited, so it was not offered. An outbound call (a
        // callback, a list call) waits for an agent too, but nobody rang the hotline: it is counted by
        // the outbound figures alone, or its hours of "wait" for the due time would skew the inbound ones.
        var disposition = CallDisposition.Parse(record.Disposition);
        if (record.Direction == CallDirections.Outbound || record.Queue is null || disposition == CallDisposition.QueueFull)
        {
            return CallOutcome.NotOffered;
        }

        if (record.AnsweredAt is not null)
        {
            return CallOutcome.Answered;
        }

        // A caller who hung up before an answer abandoned the call.
        return disposition.IsCallerLeaving ? CallOutcome.Abandoned : CallOutcome.OtherwiseEnded;
    }

    /// <summary>The moment that places a call in an interval: its queue entry, else its start.</summary>
    public static DateTimeOffset AttributedAt(CallRecord record) => record.QueuedAt ?? record.StartedAt;
}
