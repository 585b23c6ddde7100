namespace CallCenter.Ivr.SelfService;

/// <summary>One operation of <see cref="IvrOperations"/>.</summary>
public sealed record IvrOperation(
    string Name,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<string> Results,
    IReadOnlyList<string> Outputs,
    IReadOnlyList<string> ItemFields)
{
    public bool HasResult(string result) => result == IvrOperations.Error || Results.Contains(result, StringComparer.Ordinal);
}
