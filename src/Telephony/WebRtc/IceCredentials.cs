using System.Security.Cryptography;

namespace CallCenter.Telephony.WebRtc;

/// <summary>An ICE username fragment and password (RFC 8839 5.4: ice-char, at least 4 and 22 characters).</summary>
public sealed record IceCredentials(string Ufrag, string Password)
{
    private const string IceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /// <summary>Fresh random credentials for one media session: 8 characters (48 bits) and 24 (144 bits).</summary>
    public static IceCredentials Create() => new(RandomNumberGenerator.GetString(IceChars, 8), RandomNumberGenerator.GetString(IceChars, 24));

    /// <summary>Never the password: it is the key of every check.</summary>
    public override string ToString() => "ufrag " + Ufrag;
}
