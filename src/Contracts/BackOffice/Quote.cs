namespace CallCenter.Contracts.BackOffice;

/// <summary>A stock's quote: six-digit code, name, last price and previous close (CNY).</summary>
public sealed record Quote(string Code, string Name, decimal Last, decimal PreviousClose)
{
    public decimal Change => Last - PreviousClose;

    /// <summary>The change in percent of the previous close, to two decimals.</summary>
    public decimal ChangePercent => PreviousClose == 0 ? 0 : Math.Round(Change * 100 / PreviousClose, 2, MidpointRounding.AwayFromZero);
}
