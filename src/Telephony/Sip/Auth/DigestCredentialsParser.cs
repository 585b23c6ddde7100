using System.Text;

namespace CallCenter.Telephony.Sip.Auth;

/// <summary>
/// Parses an Authorization header value of the Digest scheme (RFC 3261 25.1 credentials,
/// RFC 7616 3.4). Parameter names are case-insensitive and may come in any order; values are
/// tokens or quoted-strings with backslash escapes. Anything else (another scheme, a missing
/// required parameter, a duplicate, bad syntax) is "no credentials": the caller challenges again
/// (RFC 4475 3.3.7). Never throws.
/// </summary>
internal static class DigestCredentialsParser
{
    /// <summary>A bound on what is parsed at all; a real value is a few hundred characters.</summary>
    public const int MaxLength = 4096;

    private const int MaxParameters = 32;

    public static bool TryParse(string? value, out DigestCredentials? credentials)
    {
        credentials = null;
        if (!TryParseParameters(value, out var parameters))
        {
            return false;
        }

        if (!parameters.TryGetValue("username", out var username)
            || !parameters.TryGetValue("realm", out var realm)
            || !parameters.TryGetValue("nonce", out var nonce)
            || !parameters.TryGetValue("uri", out var uri)
            || !parameters.TryGetValue("response", out var response))
        {
            return false;
        }

        credentials = new DigestCredentials
        {
            Username = username,
            Realm = realm,
            Nonce = nonce,
            DigestUri = uri,
            Response = response,
            Algorithm = parameters.GetValueOrDefault("algorithm"),
            ClientNonce = parameters.GetValueOrDefault("cnonce"),
            Qop = parameters.GetValueOrDefault("qop"),
            NonceCount = parameters.GetValueOrDefault("nc"),
            Opaque = parameters.GetValueOrDefault("opaque"),
        };
        return true;
    }

    /// <summary>
    /// The auth-params of a Digest value (credentials or a challenge, RFC 3261 25.1): names folded to
    /// one case, values unquoted and unescaped; false for another scheme, a duplicate or bad syntax.
    /// </summary>
    public static bool TryParseParameters(string? value, out Dictionary<string, string> parameters)
    {
        parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (value is null || value.Length > MaxLength)
        {
            return false;
        }

        var pos = SkipSpace(value, 0);
        var schemeEnd = pos;
        while (schemeEnd < value.Length && IsTokenChar(value[schemeEnd]))
        {
            schemeEnd++;
        }

        // The auth-scheme is a case-insensitive token (RFC 3261 25.1: "Digest" LWS digest-response).
        if (!value.AsSpan(pos, schemeEnd - pos).Equals("Digest", StringComparison.OrdinalIgnoreCase)
            || schemeEnd >= value.Length
            || !IsSpace(value[schemeEnd]))
        {
            return false;
        }

        pos = schemeEnd;
        while (true)
        {
            pos = SkipSpace(value, pos);
            if (pos >= value.Length)
            {
                break;
            }

            if (parameters.Count > 0)
            {
                if (value[pos] != ',')
                {
                    return false;
                }

                pos = SkipSpace(value, pos + 1);
            }

            var nameStart = pos;
            while (pos < value.Length && IsTokenChar(value[pos]))
            {
                pos++;
            }

            if (pos == nameStart)
            {
                return false;
            }

            var name = value[nameStart..pos];
            pos = SkipSpace(value, pos);
            if (pos >= value.Length || value[pos] != '=')
            {
                return false;
            }

            pos = SkipSpace(value, pos + 1);
            if (!TryReadValue(value, ref pos, out var parameterValue)
                || parameters.Count >= MaxParameters
                || !parameters.TryAdd(name, parameterValue))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryReadValue(string text, ref int pos, out string value)
    {
        value = "";
        if (pos >= text.Length)
        {
            return false;
        }

        if (text[pos] != '"')
        {
            var start = pos;
            while (pos < text.Length && IsTokenChar(text[pos]))
            {
                pos++;
            }

            value = text[start..pos];
            return pos > start;
        }

        // quoted-string = SWS DQUOTE *(qdtext / quoted-pair) DQUOTE (RFC 3261 25.1).
        var builder = new StringBuilder();
        pos++;
        while (pos < text.Length)
        {
            var c = text[pos];
            if (c == '"')
            {
                pos++;
                value = builder.ToString();
                return true;
            }

            if (c == '\\')
            {
                // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F): CR and LF cannot be escaped.
                if (pos + 1 >= text.Length || text[pos + 1] is '\r' or '\n')
                {
                    return false;
                }

                builder.Append(text[pos + 1]);
                pos += 2;
                continue;
            }

            builder.Append(c);
            pos++;
        }

        return false;
    }

    private static int SkipSpace(string text, int pos)
    {
        while (pos < text.Length && IsSpace(text[pos]))
        {
            pos++;
        }

        return pos;
    }

    // Folded lines (RFC 3261 7.3.1) are whitespace here too, should a parser leave them in.
    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    // token characters of RFC 3261 25.1.
    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '!' or '%' or '*' or '_' or '+' or '`' or '\'' or '~';
}
