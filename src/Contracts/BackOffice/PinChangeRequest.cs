namespace CallCenter.Contracts.BackOffice;

/// <summary>A PIN change: the old PIN, and the new one keyed twice.</summary>
public sealed record PinChangeRequest(string Account, string OldPin, string NewPin, string NewPinAgain)
{
    // The PINs never reach a log through a record's generated ToString.
    public override string ToString() => $"PinChangeRequest {{ Account = {Account} }}";
}
