namespace CallCenter.Contracts.Calls;

/// <summary>The result of a call-control request: <see cref="Error"/> is None when it was done.</summary>
public sealed record CallControlResult(CallControlError Error, string Message, string? CallId = null)
{
    public bool Done => Error == CallControlError.None;
}
