namespace CallCenter.Contracts.BackOffice;

/// <summary>The answer to a PIN check: <see cref="TriesLeft"/> before the lock; <see cref="LockedUntil"/> when locked.</summary>
public sealed record PinCheck(PinCheckOutcome Outcome, int TriesLeft, DateTimeOffset? LockedUntil)
{
    public bool IsVerified => Outcome == PinCheckOutcome.Verified;
}
