namespace CallCenter.Ivr.Say;

/// <summary>How a value is spoken.</summary>
public enum IvrSayKind
{
    /// <summary>Digit by digit, e.g. an account or phone number.</summary>
    Digits,

    /// <summary>A whole number from 0 to 999,999,999,999.</summary>
    Number,

    /// <summary>An amount in yuan with two decimals (角 and 分).</summary>
    Currency,

    /// <summary>A calendar date, written ISO 8601 (yyyy-MM-dd) in text form.</summary>
    Date,
}
