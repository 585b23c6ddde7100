namespace CallCenter.Ivr.Flows;

/// <summary>
/// What the host knows about a call when the flow starts. Flows read it through the built-in
/// variables <c>caller</c>, <c>dialed</c> and <c>tier</c> (branch conditions, say); a known
/// <paramref name="Language"/> ("zh" or "en") replaces the flow's default language.
/// </summary>
public sealed record IvrCallContext(string CallerNumber, string DialedNumber, string? Tier = null, string? Language = null)
{
    /// <summary>Further values the host provides (e.g. a client name or a balance); flows list the names they read under "variables".</summary>
    public IReadOnlyDictionary<string, string>? Variables { get; init; }
}
