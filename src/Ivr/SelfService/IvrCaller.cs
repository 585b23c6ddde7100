namespace CallCenter.Ivr.SelfService;

/// <summary>
/// What the host knows of the caller for a back-office request, from the call, never from the
/// flow's variables: the calling number when a trusted peer vouched for it (else null), and the
/// account whose PIN this call verified (else null).
/// </summary>
public sealed record IvrCaller(string? TrustedNumber, string? VerifiedAccount)
{
    public static readonly IvrCaller Unknown = new(null, null);
}
