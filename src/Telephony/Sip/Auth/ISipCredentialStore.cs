namespace CallCenter.Telephony.Sip.Auth;

/// <summary>Where the digest authenticator finds a user's stored HA1 values. The host implements it over the agent directory.</summary>
public interface ISipCredentialStore
{
    /// <summary>The credential of <paramref name="username"/> (exact, case-sensitive match), or null when there is none.</summary>
    ValueTask<SipCredential?> FindAsync(string username, CancellationToken cancellationToken = default);
}
