namespace CallCenter.Contracts.BackOffice;

/// <summary>Whether the PIN changed; for a wrong old PIN, the tries left and the lock as a check gives them.</summary>
public sealed record PinChangeResult(bool Changed, PinChangeRefusal? Refusal, int TriesLeft, DateTimeOffset? LockedUntil);
