namespace CallCenter.Contracts.BackOffice;

public enum OrderStatus
{
    /// <summary>Accepted, cash or shares frozen, not filled yet: it can be cancelled.</summary>
    Open,

    Filled,

    Cancelled,
}
