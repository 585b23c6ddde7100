namespace CallCenter.Contracts.BackOffice;

/// <summary>The order placed (open or filled), or the refusal; never both.</summary>
public sealed record OrderResult(Order? Order, OrderRefusal? Refusal)
{
    public bool IsPlaced => Order is not null;
}
