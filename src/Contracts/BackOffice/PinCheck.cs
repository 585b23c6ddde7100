namespace CallCenter.Contracts.BackOffice;

/// <summary>
/// The answer to a PIN check: <see cref="TriesLeft"/> before the lock; <see cref="LockedUntil"/> when locked.
/// <see cref="Compared"/>: the PIN was compared with the account's (false only when the account was locked before the
/// check, so the answer was no guess); a back office that cannot tell leaves it true.
/// </summary>
public sealed record PinCheck(PinCheckOutcome Outcome, int TriesLeft, DateTimeOffset? LockedUntil, bool Compared = true)
{
    public bool IsVerified => Outcome == PinCheckOutcome.Verified;
}
