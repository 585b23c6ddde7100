using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Tests.Sip.Auth;

/// <summary>
/// A phone's side of digest authentication, written independently of the code under test:
/// reads a challenge with a regular expression and hashes with the BCL directly.
/// </summary>
internal static partial class DigestTestClient
{
    public static SipRequest Register(string user, string host = "pbx.example.com", uint cseq = 1, string callId = "reg-call-1")
    {
        var request = new SipRequest
        {
            Method = SipMethods.Register,
            RequestUri = new SipUri { Scheme = "sip", Host = host },
            From = new SipNameAddress { Uri = new SipUri { Scheme = "sip", User = user, Host = host }, Parameters = [new("tag", "from-tag-" + user)] },
            To = new SipNameAddress { Uri = new SipUri { Scheme = "sip", User = user, Host = host } },
            CallId = callId,
            CSeq = new SipCSeq(cseq, SipMethods.Register),
            MaxForwards = 70,
        };
        request.Vias.Add(new SipVia { Transport = "UDP", Host = "192.0.2.10", Port = 5062, Parameters = [new("branch", "z9hG4bK-" + callId + "-" + cseq)] });
        return request;
    }

    /// <summary>The parameters of a WWW-Authenticate value, names lower-cased, values unquoted.</summary>
    public static Dictionary<string, string> ParseChallenge(string value)
    {
        Assert.That(value, Does.StartWith("Digest "));
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in ChallengeParameter().Matches(value["Digest ".Length..]))
        {
            result[m.Groups["name"].Value.ToLowerInvariant()] = m.Groups["quoted"].Success ? m.Groups["quoted"].Value : m.Groups["token"].Value;
        }

        return result;
    }

    public static List<string> Challenges(SipResponse response) =>
        [.. response.Headers.GetAll(SipHeaderNames.WwwAuthenticate)];

    /// <summary>Answers the challenge of <paramref name="algorithm"/> in <paramref name="response"/> with qop=auth.</summary>
    public static string Answer(
        SipResponse response,
        SipRequest request,
        string algorithm,
        string user,
        string password,
        uint nc = 1,
        string cnonce = "0a4f113b",
        string? digestUri = null)
    {
        var challenge = Challenges(response).Select(ParseChallenge).Single(c => c["algorithm"] == algorithm);
        return Answer(challenge["realm"], challenge["nonce"], challenge["opaque"], request, algorithm, user, password, nc, cnonce, digestUri);
    }

    public static string Answer(
        string realm,
        string nonce,
        string? opaque,
        SipRequest request,
        string algorithm,
        string user,
        string password,
        uint nc = 1,
        string cnonce = "0a4f113b",
        string? digestUri = null,
        bool withQop = true)
    {
        digestUri ??= "sip:" + request.RequestUri.Host;
        var ncText = nc.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
        var ha1 = H(algorithm, $"{user}:{realm}:{password}");
        var ha2 = H(algorithm, $"{request.Method}:{digestUri}");
        var response = withQop ? H(algorithm, $"{ha1}:{nonce}:{ncText}:{cnonce}:auth:{ha2}") : H(algorithm, $"{ha1}:{nonce}:{ha2}");
        var text = $"Digest username=\"{user}\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{digestUri}\", response=\"{response}\", algorithm={algorithm}";
        if (withQop)
        {
            text += $", qop=auth, nc={ncText}, cnonce=\"{cnonce}\"";
        }

        if (opaque is not null)
        {
            text += $", opaque=\"{opaque}\"";
        }

        return text;
    }

    public static string H(string algorithm, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
#pragma warning disable CA5351 // The protocol's hash, computed independently of the code under test.
        var hash = algorithm == "MD5" ? MD5.HashData(bytes) : SHA256.HashData(bytes);
#pragma warning restore CA5351
        return Convert.ToHexStringLower(hash);
    }

    [GeneratedRegex("""(?<name>[A-Za-z0-9-]+)=(?:"(?<quoted>[^"]*)"|(?<token>[^,\s]+))""")]
    private static partial Regex ChallengeParameter();
}
