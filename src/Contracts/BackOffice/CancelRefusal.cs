namespace CallCenter.Contracts.BackOffice;

public enum CancelRefusal
{
    /// <summary>No such order on this account.</summary>
    UnknownOrder,

    /// <summary>Already filled or cancelled.</summary>
    NotOpen,

    KeyReused,
}
