using System.Security.Cryptography;
using System.Text;

namespace CallCenter.Telephony.Sip.Auth;

/// <summary>A Digest challenge from a 401 (WWW-Authenticate) or 407 (Proxy-Authenticate), RFC 3261 22.2 / 22.3.</summary>
public sealed record DigestChallenge(string Realm, string Nonce, SipDigestAlgorithm Algorithm, bool QopAuth, string? Opaque, bool Stale)
{
    /// <summary>
    /// Reads a challenge value; null when it is not Digest, lacks realm or nonce, names an algorithm we
    /// do not speak, or offers qop without "auth" (auth-int is not supported).
    /// </summary>
    public static DigestChallenge? TryParse(string? value)
    {
        if (!DigestCredentialsParser.TryParseParameters(value, out var parameters)
            || !parameters.TryGetValue("realm", out var realm)
            || !parameters.TryGetValue("nonce", out var nonce)
            || nonce.Length == 0)
        {
            return null;
        }

        var algorithm = SipDigestAlgorithm.Md5;
        if (parameters.TryGetValue("algorithm", out var name) && !SipDigest.TryParseAlgorithm(name, out algorithm))
        {
            return null;
        }

        var qopAuth = false;
        if (parameters.TryGetValue("qop", out var qop))
        {
            qopAuth = qop.Split(',', StringSplitOptions.TrimEntries).Contains("auth", StringComparer.OrdinalIgnoreCase);
            if (!qopAuth)
            {
                return null;
            }
        }

        return new DigestChallenge(
            realm,
            nonce,
            algorithm,
            qopAuth,
            parameters.GetValueOrDefault("opaque"),
            string.Equals(parameters.GetValueOrDefault("stale"), "true", StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>
/// The client side of SIP Digest (RFC 3261 22.2, RFC 7616, RFC 8760): what the platform sends when a
/// carrier's trunk challenges its INVITE or REGISTER with 401 or 407. Pure: the client nonce and the
/// nonce count are given, so the result is testable against the RFCs' worked examples.
/// </summary>
public static class SipDigestClient
{
    /// <summary>
    /// The Authorization (for a 401) or Proxy-Authorization (for a 407) header value answering
    /// <paramref name="challenge"/> for <paramref name="method"/> to <paramref name="digestUri"/> (the
    /// Request-URI). Never log the result: it is a proof of the password.
    /// </summary>
    public static string Answer(DigestChallenge challenge, string username, string password, string method, string digestUri, string clientNonce, int nonceCount)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        var ha1 = SipDigest.ComputeHa1(challenge.Algorithm, username, challenge.Realm, password);
        var nc = nonceCount.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
        var qop = challenge.QopAuth ? "auth" : null;
        var response = SipDigest.ComputeResponse(challenge.Algorithm, ha1, challenge.Nonce, qop is null ? null : nc, qop is null ? null : clientNonce, qop, method, digestUri);
        var text = new StringBuilder("Digest ")
            .Append("username=").Append(Quote(username))
            .Append(", realm=").Append(Quote(challenge.Realm))
            .Append(", nonce=").Append(Quote(challenge.Nonce))
            .Append(", uri=").Append(Quote(digestUri))
            .Append(", response=").Append(Quote(response))
            .Append(", algorithm=").Append(SipDigest.AlgorithmName(challenge.Algorithm));
        if (qop is not null)
        {
            text.Append(", qop=auth, nc=").Append(nc).Append(", cnonce=").Append(Quote(clientNonce));
        }

        if (challenge.Opaque is { } opaque)
        {
            text.Append(", opaque=").Append(Quote(opaque));
        }

        return text.ToString();
    }

    /// <summary>A fresh client nonce: 16 random bytes as hex.</summary>
    public static string NewClientNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
