using System.Security.Cryptography;
using System.Text;

namespace CallCenter.Telephony.Sip.Auth;

/// <summary>
/// The digest computations of RFC 7616 3.4.1 to 3.4.3 as SIP uses them (RFC 3261 22.4, RFC 8760):
/// every value is lower-case hex of H over UTF-8 text.
/// </summary>
public static class SipDigest
{
    /// <summary>The token that names <paramref name="algorithm"/> in a challenge ("MD5", "SHA-256").</summary>
    public static string AlgorithmName(SipDigestAlgorithm algorithm) => algorithm switch
    {
        SipDigestAlgorithm.Md5 => "MD5",
        SipDigestAlgorithm.Sha256 => "SHA-256",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>Parses an algorithm token case-insensitively (RFC 7616 3.3); the "-sess" variants are not supported.</summary>
    public static bool TryParseAlgorithm(string? name, out SipDigestAlgorithm algorithm)
    {
        if (string.Equals(name, "MD5", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = SipDigestAlgorithm.Md5;
            return true;
        }

        if (string.Equals(name, "SHA-256", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = SipDigestAlgorithm.Sha256;
            return true;
        }

        algorithm = default;
        return false;
    }

    /// <summary>
    /// HA1 = H(username ":" realm ":" password) (RFC 7616 3.4.2). Compute it once when an agent's
    /// password is set and store only this value, one per algorithm, never the password.
    /// </summary>
    public static string ComputeHa1(SipDigestAlgorithm algorithm, string username, string realm, string password)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(realm);
        ArgumentNullException.ThrowIfNull(password);
        return Hash(algorithm, username + ":" + realm + ":" + password);
    }

    /// <summary>
    /// The request-digest (RFC 7616 3.4.1): with qop, H(HA1:nonce:nc:cnonce:qop:HA2); without qop
    /// (RFC 2069 compatibility, RFC 2617 3.2.2.1), H(HA1:nonce:HA2); HA2 = H(method:digest-uri).
    /// </summary>
    public static string ComputeResponse(
        SipDigestAlgorithm algorithm,
        string ha1,
        string nonce,
        string? nonceCount,
        string? clientNonce,
        string? qop,
        string method,
        string digestUri)
    {
        var ha2 = Hash(algorithm, method + ":" + digestUri);
        var input = qop is null
            ? ha1 + ":" + nonce + ":" + ha2
            : ha1 + ":" + nonce + ":" + nonceCount + ":" + clientNonce + ":" + qop + ":" + ha2;
        return Hash(algorithm, input);
    }

    /// <summary>The length of a hex digest of <paramref name="algorithm"/>.</summary>
    internal static int HexLength(SipDigestAlgorithm algorithm) =>
        algorithm == SipDigestAlgorithm.Md5 ? MD5.HashSizeInBytes * 2 : SHA256.HashSizeInBytes * 2;

    internal static string Hash(SipDigestAlgorithm algorithm, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
#pragma warning disable CA5351 // MD5 is what RFC 3261 22.4 and every deployed phone speak; SHA-256 is offered first.
        var hash = algorithm == SipDigestAlgorithm.Md5 ? MD5.HashData(bytes) : SHA256.HashData(bytes);
#pragma warning restore CA5351
        return Convert.ToHexStringLower(hash);
    }
}
