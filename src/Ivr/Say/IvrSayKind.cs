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

    /// <summary>A prompt named by the value (e.g. <c>stock-600000</c>, a stock's name), as the self-service layer sets it.</summary>
    Prompt,
}
