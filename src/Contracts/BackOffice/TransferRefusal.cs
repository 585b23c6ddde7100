namespace CallCenter.Contracts.BackOffice;

/// <summary>Why a transfer was not made; each has its own prompt, and none moves money.</summary>
public enum TransferRefusal
{
    UnknownAccount,

    NoBankLink,

    /// <summary>Zero or negative.</summary>
    AmountNotPositive,

    /// <summary>More than two decimals.</summary>
    AmountTooPrecise,

    /// <summary>Today's transfers of the account plus this one would pass the daily limit.</summary>
    OverDailyLimit,

    /// <summary>Brokerage → bank for more than the available cash.</summary>
    InsufficientFunds,

    /// <summary>Bank → brokerage for more than the bank balance.</summary>
    InsufficientBankBalance,

    KeyReused,
}
