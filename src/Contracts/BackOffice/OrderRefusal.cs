namespace CallCenter.Contracts.BackOffice;

/// <summary>Why an order was not placed; each has its own prompt, and none changes the account.</summary>
public enum OrderRefusal
{
    UnknownAccount,

    /// <summary>Not six digits, or not in the quote table.</summary>
    UnknownCode,

    /// <summary>Zero or negative, or finer than 0.01.</summary>
    InvalidPrice,

    /// <summary>Outside the day's band: ±10 % of the previous close.</summary>
    PriceOutOfBand,

    /// <summary>Zero, negative, or not a multiple of 100 shares.</summary>
    NotWholeLot,

    /// <summary>A buy costing more than the available cash.</summary>
    InsufficientFunds,

    /// <summary>A sell of more shares than are held and not frozen.</summary>
    InsufficientPosition,

    /// <summary>The idempotency key was used before for another request.</summary>
    KeyReused,
}
