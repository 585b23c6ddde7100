using System.Text;
using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Sip.Parsing;

/// <summary>Request-Line and Status-Line (RFC 3261 7.1, 7.2, 25.1).</summary>
internal static class SipStartLineParser
{
    /// <summary>
    /// Method SP Request-URI SP SIP-Version, with exactly one SP between the elements (RFC 4475
    /// 3.1.2.8-3.1.2.10 are rejected). When the method reads but the rest does not, a request is
    /// still built from a lenient reading so the 400 can be sent (RFC 3261 8.2.6).
    /// </summary>
    public static void ParseRequestLine(ReadOnlySpan<byte> line, SipParseState state)
    {
        var sp = line.IndexOf((byte)' ');
        if (sp <= 0 || !SipCharClasses.IsTokenBytes(line[..sp]))
        {
            state.Fail(SipParseFault.BadRequestLine, "no method at the start of the request line");
            return;
        }

        var method = Encoding.ASCII.GetString(line[..sp]);
        var rest = line[(sp + 1)..];
        var lastSp = rest.LastIndexOf((byte)' ');
        var uriBytes = lastSp < 0 ? [] : rest[..lastSp];
        var version = lastSp < 0 ? rest : rest[(lastSp + 1)..];
        if (lastSp <= 0 || uriBytes.IndexOfAny((byte)' ', (byte)'\t') >= 0 || version.IsEmpty)
        {
            state.Fail(SipParseFault.BadRequestLine, "request line does not have exactly one SP between its three elements");
            state.Message = new SipRequest { Method = method, RequestUri = LenientUri(rest, state.Limits) };
            return;
        }

        var uriText = Encoding.Latin1.GetString(uriBytes);
        SipUri uri;
        if (!SipUriParser.TryParse(uriText, state.Limits, out var parsed, out var error))
        {
            state.Fail(SipParseFault.BadUri, "Request-URI: " + error);
            uri = Placeholder(uriText);
        }
        else if (parsed.Headers.Count > 0)
        {
            // RFC 3261 19.1.1 (table 1): headers are not allowed in a Request-URI (RFC 4475 3.1.2.11).
            state.Fail(SipParseFault.BadUri, "Request-URI carries headers");
            uri = parsed;
        }
        else
        {
            uri = parsed;
        }

        state.Message = new SipRequest { Method = method, RequestUri = uri };
        CheckVersion(version, state, request: true);
    }

    /// <summary>SIP-Version SP Status-Code SP Reason-Phrase; the reason may be empty or UTF-8 (RFC 4475 3.1.1.12, 3.1.1.13).</summary>
    public static void ParseStatusLine(ReadOnlySpan<byte> line, SipParseState state)
    {
        var sp = line.IndexOf((byte)' ');
        if (sp < 0)
        {
            state.Fail(SipParseFault.BadStatusLine, "status line has no status code");
            return;
        }

        if (!CheckVersion(line[..sp], state, request: false))
        {
            return;
        }

        var rest = line[(sp + 1)..];
        var codeEnd = rest.IndexOf((byte)' ');
        var code = codeEnd < 0 ? rest : rest[..codeEnd];
        if (code.Length != 3 || !IsDigits(code))
        {
            // RFC 3261 7.2: Status-Code is 3DIGIT (RFC 4475 3.1.2.19 sends 4294967301).
            state.Fail(SipParseFault.BadStatusCode, "status code is not three digits");
            return;
        }

        var status = ((code[0] - '0') * 100) + ((code[1] - '0') * 10) + (code[2] - '0');
        if (status is < 100 or > 699)
        {
            state.Fail(SipParseFault.BadStatusCode, "status code outside 100..699");
            return;
        }

        var reason = codeEnd < 0 ? "" : Encoding.UTF8.GetString(rest[(codeEnd + 1)..]);
        state.Message = new SipResponse { StatusCode = status, ReasonPhrase = reason };
    }

    /// <summary>"SIP/2.0" (case-insensitive, RFC 3261 7.1); another SIP/x.y is a 505 (RFC 4475 3.1.2.16).</summary>
    private static bool CheckVersion(ReadOnlySpan<byte> version, SipParseState state, bool request)
    {
        if (Ascii.EqualsIgnoreCase(version, "SIP/2.0"u8))
        {
            return true;
        }

        var dot = version.IndexOf((byte)'.');
        var wellFormed = version.Length > 4 && Ascii.EqualsIgnoreCase(version[..4], "SIP/"u8)
            && dot > 4 && dot < version.Length - 1 && IsDigits(version[4..dot]) && IsDigits(version[(dot + 1)..]);
        if (wellFormed)
        {
            state.Fail(SipParseFault.BadVersion, "SIP version not supported");
        }
        else
        {
            state.Fail(request ? SipParseFault.BadRequestLine : SipParseFault.BadStatusLine, "SIP version is malformed");
        }

        return false;
    }

    private static bool IsDigits(ReadOnlySpan<byte> s)
    {
        foreach (var b in s)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }

        return !s.IsEmpty;
    }

    /// <summary>For the partial request of a malformed line: the first whitespace-separated element, parsed if it can be.</summary>
    private static SipUri LenientUri(ReadOnlySpan<byte> rest, SipParserLimits limits)
    {
        rest = rest.TrimStart(" \t"u8);
        var end = rest.IndexOfAny((byte)' ', (byte)'\t');
        var text = Encoding.Latin1.GetString(end < 0 ? rest : rest[..end]);
        return SipUriParser.TryParse(text, limits, out var uri, out _) ? uri : Placeholder(text);
    }

    private static SipUri Placeholder(string raw) => new() { Scheme = "", Opaque = raw };
}
