namespace CallCenter.Data.Calls;

/// <summary>
/// One write of <see cref="CallRecordRepository.WriteBatchAsync"/>: a call's record (which closes its
/// open row); with <see cref="Record"/> null, the open row of a call in progress; with
/// <see cref="Progress"/>, what is known of a call in progress so far; with <see cref="AliveAt"/>, the
/// platform's heartbeat (the last moment it was known alive, for every open call).
/// </summary>
public sealed record CallRecordWrite(string Id, CallRecord? Record, (string Caller, string Dialed, DateTimeOffset StartedAt)? Open)
{
    /// <summary>The record so far of a call in progress (its open legs have no end yet).</summary>
    public CallRecord? Progress { get; init; }

    /// <summary>When <see cref="Progress"/> was taken.</summary>
    public DateTimeOffset ProgressAt { get; init; }

    /// <summary>A heartbeat: the platform was alive at this time.</summary>
    public DateTimeOffset? AliveAt { get; init; }

    /// <summary>With <see cref="AliveAt"/>: when this process started; only calls it answered are its to vouch for.</summary>
    public DateTimeOffset AliveSince { get; init; }

    public static CallRecordWrite Progressed(CallRecord progress, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return new(progress.Id, null, null) { Progress = progress, ProgressAt = at };
    }

    public static CallRecordWrite Alive(DateTimeOffset at, DateTimeOffset since) => new("heartbeat", null, null) { AliveAt = at, AliveSince = since };
}
