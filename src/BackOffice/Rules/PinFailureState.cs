namespace CallCenter.BackOffice.Rules;

/// <summary>Wrong PINs in a row and the lock they led to.</summary>
internal sealed record PinFailureState(int Failures, DateTimeOffset? LockedUntil)
{
    public static readonly PinFailureState Clear = new(0, null);
}
