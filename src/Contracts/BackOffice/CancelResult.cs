namespace CallCenter.Contracts.BackOffice;

/// <summary>The cancelled order, or the refusal.</summary>
public sealed record CancelResult(Order? Order, CancelRefusal? Refusal)
{
    public bool IsCancelled => Order is not null;
}
