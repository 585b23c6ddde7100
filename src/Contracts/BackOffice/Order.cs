namespace CallCenter.Contracts.BackOffice;

/// <summary>A limit order as the back office holds it; <see cref="Id"/> is short enough to key on a phone.</summary>
public sealed record Order(long Id, string Account, string Code, string Name, OrderSide Side, decimal Price, long Quantity, OrderStatus Status, DateTimeOffset PlacedAt);
