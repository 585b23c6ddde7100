namespace CallCenter.Contracts.BackOffice;

/// <summary>A holding: six-digit code, name, shares held, shares free to sell (not frozen by open sell orders), value at the last price.</summary>
public sealed record Position(string Code, string Name, long Quantity, long Available, decimal LastPrice, decimal MarketValue);
