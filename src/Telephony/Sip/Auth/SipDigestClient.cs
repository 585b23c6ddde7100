using System.Security.Cryptography;
using System.Text;
using CallCenter.Telephony.Sip.Messages;

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

    /// <summary>
    /// The header (Authorization for a 401's WWW-Authenticate, Proxy-Authorization for a 407's Proxy-Authenticate) and its
    /// value answering the challenge in <paramref name="final"/> for <paramref name="method"/> to <paramref name="digestUri"/>,
    /// with a fresh client nonce and a nonce count of 1; null when <paramref name="final"/> is not a 401 or 407 or carries
    /// no challenge we can answer. A trunk offering several (RFC 8760 2.4: one per algorithm, most preferred first) is
    /// answered with the strongest we speak (SHA-256 before MD5, the local policy 2.4 allows, so a trunk listing MD5 first
    /// does not get the weaker answer), the topmost among equals. Stateless: answering a challenge once, and not the one that follows a
    /// failed answer, is the caller's rule. Never log the value.
    /// </summary>
    public static (string Header, string Value)? AnswerFinal(SipResponse final, string username, string password, string method, string digestUri)
    {
        ArgumentNullException.ThrowIfNull(final);
        if (final.StatusCode is not (401 or 407)
            || final.Headers.GetAll(final.StatusCode == 401 ? SipHeaderNames.WwwAuthenticate : SipHeaderNames.ProxyAuthenticate)
                .Select(DigestChallenge.TryParse).OfType<DigestChallenge>().OrderByDescending(c => c.Algorithm).FirstOrDefault() is not { } challenge)
        {
            return null;
        }

        var header = final.StatusCode == 401 ? SipHeaderNames.Authorization : SipHeaderNames.ProxyAuthorization;
        return (header, Answer(challenge, username, password, method, digestUri, NewClientNonce(), 1));
    }

    /// <summary>A fresh client nonce: 16 random bytes as hex.</summary>
    public static string NewClientNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
