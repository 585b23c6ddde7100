namespace CallCenter.Contracts.BackOffice;

/// <summary>A limit order to place: price in CNY, quantity in shares (whole lots of 100).</summary>
public sealed record OrderRequest(string Account, string Code, OrderSide Side, decimal Price, long Quantity);
