namespace CallCenter.BackOffice;

/// <summary>
/// What a step did: its result, the outcome and detail for the audit (never a PIN), and whether the
/// idempotency key is kept. A refusal that changed nothing frees the key, so the caller's corrected
/// entry can be tried again under it; anything that changed state keeps it.
/// </summary>
internal sealed record StepOutcome<T>(T Result, string Outcome, string Detail, bool Keep);
