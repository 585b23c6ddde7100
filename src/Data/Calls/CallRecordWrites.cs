namespace CallCenter.Data.Calls;

/// <summary>
/// Which writes of a batch change what the database holds once the batch has committed (pure). A
/// batch is one transaction, so a write whose effect a later one in the same batch replaces can be
/// left out: a call's record deletes its open row, so that row's insert and progress updates in the
/// same batch change nothing; of a call's progress updates only the newest (by its time, as the
/// update's own condition has it) is left standing. Heartbeats and records are always kept, in order.
/// At 500 calls a second a call's last progress and its record (queued one after the other when it
/// ends) nearly always meet in one batch.
/// </summary>
public static class CallRecordWrites
{
    public static IReadOnlyList<CallRecordWrite> Coalesce(IReadOnlyList<CallRecordWrite> writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        HashSet<string>? recorded = null;
        Dictionary<string, int>? newestProgress = null;
        var superseded = false;
        for (var i = 0; i < writes.Count; i++)
        {
            var write = writes[i];
            if (write.Record is not null)
            {
                recorded ??= new(StringComparer.Ordinal);
                recorded.Add(write.Id);
            }
            else if (write.Progress is not null)
            {
                newestProgress ??= new(StringComparer.Ordinal);
                if (newestProgress.TryGetValue(write.Id, out var earlier))
                {
                    superseded = true;
                    if (writes[earlier].ProgressAt > write.ProgressAt)
                    {
                        continue;
                    }
                }

                newestProgress[write.Id] = i;
            }
        }

        if (recorded is null && !superseded)
        {
            return writes;
        }

        var kept = new List<CallRecordWrite>(writes.Count);
        for (var i = 0; i < writes.Count; i++)
        {
            var write = writes[i];
            var closedInBatch = write.Record is null && (write.Open is not null || write.Progress is not null) && recorded?.Contains(write.Id) == true;
            var olderProgress = write.Progress is not null && newestProgress![write.Id] != i;
            if (!closedInBatch && !olderProgress)
            {
                kept.Add(write);
            }
        }

        return kept.Count == writes.Count ? writes : kept;
    }
}
