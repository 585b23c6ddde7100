using CallCenter.Data.Calls;

namespace CallCenter.ResourceControl.Metrics;

/// <summary>The ended calls' records and the open calls' progress as one list for <see cref="MetricsCalculator"/> (pure).</summary>
internal static class LiveCalls
{
    /// <summary>
    /// Every record, then every progress record of a call that has no record in <paramref name="records"/> (one that
    /// closed between the two reads is counted once, as its record says).
    /// </summary>
    public static IReadOnlyList<CallRecord> Merge(IReadOnlyList<CallRecord> records, IReadOnlyList<CallRecord> open)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(open);
        if (open.Count == 0)
        {
            return records;
        }

        var ended = new HashSet<string>(records.Select(r => r.Id), StringComparer.Ordinal);
        return [.. records, .. open.Where(p => !ended.Contains(p.Id))];
    }
}
