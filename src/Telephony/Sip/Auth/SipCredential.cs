namespace CallCenter.Telephony.Sip.Auth;

/// <summary>
/// What the platform stores for one SIP user: HA1 = H(username:realm:password) per algorithm
/// (<see cref="SipDigest.ComputeHa1"/>), never the password. HA1 is bound to the realm, so the
/// realm it was computed for is kept too; a value for another realm does not verify.
/// A plain record of strings so it maps to a table row.
/// </summary>
public sealed record SipCredential
{
    public required string Username { get; init; }

    public required string Realm { get; init; }

    /// <summary>Lower-case hex MD5 HA1; null when this user may not use MD5.</summary>
    public string? Md5Ha1 { get; init; }

    /// <summary>Lower-case hex SHA-256 HA1; null when this user may not use SHA-256.</summary>
    public string? Sha256Ha1 { get; init; }

    public string? Ha1For(SipDigestAlgorithm algorithm) =>
        algorithm == SipDigestAlgorithm.Md5 ? Md5Ha1 : Sha256Ha1;

    /// <summary>Both HA1 values of a password, computed once when the password is set.</summary>
    public static SipCredential FromPassword(string username, string realm, string password) => new()
    {
        Username = username,
        Realm = realm,
        Md5Ha1 = SipDigest.ComputeHa1(SipDigestAlgorithm.Md5, username, realm, password),
        Sha256Ha1 = SipDigest.ComputeHa1(SipDigestAlgorithm.Sha256, username, realm, password),
    };

    // The HA1 values are password equivalents (RFC 7616 5.2): keep them out of ToString and so out of logs.
    public override string ToString() => "SipCredential { Username = " + Username + ", Realm = " + Realm + " }";
}
