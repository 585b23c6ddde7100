namespace CallCenter.Data.Calls;

/// <summary>
/// The record of a call a stopped process left in progress (pure): what was known of it (its last
/// progress), ended at the last moment the process was known alive rather than at the restart, which
/// may be hours later and would turn a crash into talk time.
/// </summary>
public static class InterruptedCall
{
    /// <summary>
    /// When the call ended as far as anyone can tell: the later of the platform's last heartbeat and
    /// the call's own last update; the restart when neither is known (a row from before heartbeats).
    /// Never before the call started, never after the restart (a clock set back meanwhile).
    /// </summary>
    public static DateTimeOffset EndOf(DateTimeOffset startedAt, DateTimeOffset? updatedAt, DateTimeOffset? aliveAt, DateTimeOffset restartedAt)
    {
        var known = (updatedAt, aliveAt) switch
        {
            ({ } u, { } a) => u > a ? u : a,
            ({ } u, null) => u,
            (null, { } a) => a,
            _ => restartedAt,
        };
        var end = known > restartedAt ? restartedAt : known;
        return end < startedAt ? startedAt : end;
    }

    /// <summary>
    /// The interrupted record: the progress (tier, queue, agent, answer, legs, recording) when there is
    /// one, its open legs ended at <paramref name="endedAt"/>, wait and talk counted to that end as
    /// <see cref="CallDurations"/> counts them. A recording found on disk fills in what the progress lacks.
    /// </summary>
    public static CallRecord Close(
        string id,
        string caller,
        string dialed,
        DateTimeOffset startedAt,
        CallRecord? progress,
        DateTimeOffset endedAt,
        string? recording = null,
        string? recordingSha256 = null)
    {
        var disposition = CallDisposition.Interrupted.Value;
        if (progress is null)
        {
            return new CallRecord
            {
                Id = id,
                Caller = caller,
                Dialed = dialed,
                StartedAt = startedAt,
                EndedAt = endedAt,
                Disposition = disposition,
                Recording = recording,
                RecordingSha256 = recordingSha256,
            };
        }

        if (progress.Disposition != CallDisposition.InProgress.Value)
        {
            // The call had ended and its record waited for the agent's wrap-up when the process
            // stopped: its own ending stands; only the wrap-up is lost.
            return progress with { Id = id, Caller = caller, Dialed = dialed, StartedAt = startedAt };
        }

        return progress with
        {
            // The open row's identity wins: it was written first and by the same call.
            Id = id,
            Caller = caller,
            Dialed = dialed,
            StartedAt = startedAt,
            EndedAt = endedAt,
            Disposition = disposition,
            WaitSeconds = CallDurations.WaitSeconds(progress.QueuedAt, progress.AnsweredAt, endedAt),
            TalkSeconds = CallDurations.TalkSeconds(progress.AnsweredAt, endedAt, progress.HoldSeconds),
            Legs = [.. progress.Legs.Select(l => l.EndedAt is not null ? l
                : l.Role == "caller" ? l with { EndedAt = endedAt, Outcome = disposition }
                : l with { EndedAt = endedAt })],
            Recording = progress.Recording ?? recording,
            RecordingSha256 = progress.RecordingSha256 ?? (progress.Recording is null || progress.Recording == recording ? recordingSha256 : null),
        };
    }
}
