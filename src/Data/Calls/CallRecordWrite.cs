namespace CallCenter.Data.Calls;

/// <summary>
/// One write of <see cref="CallRecordRepository.WriteBatchAsync"/>: a call's record (which closes its
/// open row), or, with <see cref="Record"/> null, the open row of a call in progress.
/// </summary>
public sealed record CallRecordWrite(string Id, CallRecord? Record, (string Caller, string Dialed, DateTimeOffset StartedAt)? Open);
