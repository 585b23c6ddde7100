namespace CallCenter.Contracts.BackOffice;

/// <summary>
/// Wrong PINs keyed from one calling number across calls and accounts (the platform's own limit, whichever back office
/// answers the PINs): a number that spreads its guesses over many accounts, a few each so that no account locks, is
/// stopped here. Only a number the platform trusts is counted (a caller id from a trusted peer); the store is shared by
/// calls, cluster nodes and restarts.
/// </summary>
public interface ICallerPinFailures
{
    /// <summary>Until when PIN checks from <paramref name="number"/> are refused, or null when they are not.</summary>
    Task<DateTimeOffset?> BlockedUntilAsync(string number, CancellationToken cancellationToken);

    /// <summary>Counts one wrong PIN from <paramref name="number"/>; until when the number is now refused, or null when it is not.</summary>
    Task<DateTimeOffset?> AddFailureAsync(string number, CancellationToken cancellationToken);
}
