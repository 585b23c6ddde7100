namespace CallCenter.Contracts.BackOffice;

public enum PinChangeRefusal
{
    UnknownAccount,

    /// <summary>The old PIN is wrong (counted like a failed check).</summary>
    WrongPin,

    /// <summary>Phone access to the account is locked.</summary>
    Locked,

    /// <summary>The new PIN is not six digits.</summary>
    NotSixDigits,

    /// <summary>The new PIN is the old one.</summary>
    SameAsOld,

    /// <summary>The new PIN keyed twice differs.</summary>
    Mismatch,

    KeyReused,

    /// <summary>The new PIN is too easy to guess: one digit six times (888888) or a run up or down (123456, 654321).</summary>
    TooSimple,
}
