namespace CallCenter.Contracts.BackOffice;

public enum PinCheckOutcome
{
    /// <summary>The PIN is the account's.</summary>
    Verified,

    /// <summary>Not the PIN (or not six digits); the tries left are counted down.</summary>
    Wrong,

    /// <summary>Too many wrong PINs: phone access to the account is locked until a time.</summary>
    Locked,

    /// <summary>No such fund account.</summary>
    UnknownAccount,
}
