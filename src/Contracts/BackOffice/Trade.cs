namespace CallCenter.Contracts.BackOffice;

/// <summary>A fill of an order.</summary>
public sealed record Trade(long Id, long OrderId, string Code, string Name, OrderSide Side, decimal Price, long Quantity, DateTimeOffset At);
