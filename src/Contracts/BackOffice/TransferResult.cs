namespace CallCenter.Contracts.BackOffice;

/// <summary>The transfer made, or the refusal.</summary>
public sealed record TransferResult(Transfer? Transfer, TransferRefusal? Refusal)
{
    public bool IsDone => Transfer is not null;
}
