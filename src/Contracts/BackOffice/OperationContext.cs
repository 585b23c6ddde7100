namespace CallCenter.Contracts.BackOffice;

/// <summary>
/// Who asks and which step: the call id and recording reference go to the audit, the idempotency key
/// ("&lt;callId&gt;:&lt;step&gt;", at most 200 characters) makes a retried step happen once.
/// </summary>
public sealed record OperationContext(string CallId, string IdempotencyKey, string? Recording = null);
