using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Sip.Parsing;

/// <summary>
/// Parses SIP, SIPS and tel URIs into their parts (RFC 3261 19.1.1, 25.1; RFC 3966) and keeps any
/// other absoluteURI opaque, so that an unknown scheme is answered by the UAS (416), not rejected here.
/// </summary>
internal static class SipUriParser
{
    public static bool TryParse(ReadOnlySpan<char> text, SipParserLimits limits, [NotNullWhen(true)] out SipUri? uri, [NotNullWhen(false)] out string? error)
    {
        uri = null;
        foreach (var c in text)
        {
            // RFC 3261 25.1: a URI is printable ASCII without spaces, quotes or angle brackets.
            if (c <= ' ' || c >= 0x7F || c is '<' or '>' or '"')
            {
                error = "URI contains a character that must be escaped";
                return false;
            }
        }

        var colon = text.IndexOf(':');
        if (colon <= 0 || !char.IsAsciiLetter(text[0]))
        {
            error = "URI has no scheme";
            return false;
        }

        var schemeText = text[..colon];
        foreach (var c in schemeText)
        {
            if (!SipCharClasses.IsSchemeChar(c))
            {
                error = "URI scheme is malformed";
                return false;
            }
        }

        var rest = text[(colon + 1)..];
        if (rest.IsEmpty)
        {
            error = "URI is empty after the scheme";
            return false;
        }

        if (schemeText.Equals("sip", StringComparison.OrdinalIgnoreCase))
        {
            return TryParseSip("sip", rest, limits, out uri, out error);
        }

        if (schemeText.Equals("sips", StringComparison.OrdinalIgnoreCase))
        {
            return TryParseSip("sips", rest, limits, out uri, out error);
        }

        if (schemeText.Equals("tel", StringComparison.OrdinalIgnoreCase))
        {
            return TryParseTel(rest, limits, out uri, out error);
        }

        uri = new SipUri { Scheme = schemeText.ToString().ToLowerInvariant(), Opaque = rest.ToString() };
        error = null;
        return true;
    }

    private static bool TryParseSip(string scheme, ReadOnlySpan<char> rest, SipParserLimits limits, [NotNullWhen(true)] out SipUri? uri, [NotNullWhen(false)] out string? error)
    {
        uri = null;
        string? user = null;
        string? password = null;

        // The user part may hold ';', '?' and '/' (RFC 4475 3.1.1.2, 3.1.1.9) but never an unescaped '@',
        // so the first '@' ends the userinfo.
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            var pw = userInfo.IndexOf(':');
            var userText = pw < 0 ? userInfo : userInfo[..pw];
            if (userText.IsEmpty || !TryUnescape(userText, Part.User, out user))
            {
                error = "URI user part is malformed";
                return false;
            }

            if (pw >= 0 && !TryUnescape(userInfo[(pw + 1)..], Part.Password, out password))
            {
                error = "URI password is malformed";
                return false;
            }

            rest = rest[(at + 1)..];
        }

        if (!TryReadHostPort(rest, out var host, out var port, out var i, out error))
        {
            return false;
        }

        uri = new SipUri { Scheme = scheme, User = user, Password = password, Host = host, Port = port };
        if (!TryReadParameters(rest, ref i, uri.Parameters, limits, out error))
        {
            uri = null;
            return false;
        }

        if (i < rest.Length && rest[i] == '?')
        {
            i++;
            if (!TryReadHeaders(rest[i..], uri.Headers, limits, out error))
            {
                uri = null;
                return false;
            }

            i = rest.Length;
        }

        if (i != rest.Length)
        {
            uri = null;
            error = "URI has unexpected characters after the host";
            return false;
        }

        return true;
    }

    private static bool TryParseTel(ReadOnlySpan<char> rest, SipParserLimits limits, [NotNullWhen(true)] out SipUri? uri, [NotNullWhen(false)] out string? error)
    {
        uri = null;
        var semi = rest.IndexOf(';');
        var number = semi < 0 ? rest : rest[..semi];
        if (number.IsEmpty || !TryUnescape(number, Part.User, out var user))
        {
            error = "tel URI number is malformed";
            return false;
        }

        uri = new SipUri { Scheme = "tel", User = user };
        var i = number.Length;
        if (!TryReadParameters(rest, ref i, uri.Parameters, limits, out error) || i != rest.Length)
        {
            uri = null;
            error ??= "tel URI has unexpected characters";
            return false;
        }

        return true;
    }

    /// <summary>host [":" port] (RFC 3261 25.1 hostport); stops at ';', '?' or the end.</summary>
    internal static bool TryReadHostPort(ReadOnlySpan<char> s, out string host, out int? port, out int end, [NotNullWhen(false)] out string? error)
    {
        host = "";
        port = null;
        var i = 0;
        if (s.Length > 0 && s[0] == '[')
        {
            var close = s.IndexOf(']');
            if (close < 2)
            {
                end = 0;
                error = "IPv6 reference is not closed";
                return false;
            }

            foreach (var c in s[1..close])
            {
                if (!char.IsAsciiHexDigit(c) && c is not ':' and not '.')
                {
                    end = 0;
                    error = "IPv6 reference is malformed";
                    return false;
                }
            }

            i = close + 1;
        }
        else
        {
            while (i < s.Length && SipCharClasses.IsHostChar(s[i]))
            {
                i++;
            }

            if (i == 0)
            {
                end = 0;
                error = "host is missing";
                return false;
            }
        }

        host = s[..i].ToString();
        if (i < s.Length && s[i] == ':')
        {
            var start = ++i;
            while (i < s.Length && SipCharClasses.IsDigit(s[i]))
            {
                i++;
            }

            if (i == start || i - start > 5
                || !int.TryParse(s[start..i], NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p > 65535)
            {
                end = 0;
                error = "port is malformed";
                return false;
            }

            port = p;
        }

        end = i;
        error = null;
        return true;
    }

    /// <summary>*( ";" pname [ "=" pvalue ] ) with escapes decoded; stops at '?' or the end.</summary>
    private static bool TryReadParameters(ReadOnlySpan<char> s, ref int i, SipParameters into, SipParserLimits limits, [NotNullWhen(false)] out string? error)
    {
        while (i < s.Length && s[i] == ';')
        {
            i++;
            var start = i;
            while (i < s.Length && s[i] is not ';' and not '?')
            {
                i++;
            }

            var param = s[start..i];
            var eq = param.IndexOf('=');
            var nameText = eq < 0 ? param : param[..eq];
            string? value = null;
            if (nameText.IsEmpty || !TryUnescape(nameText, Part.Param, out var name)
                || (eq >= 0 && !TryUnescape(param[(eq + 1)..], Part.Param, out value)))
            {
                error = "URI parameter is malformed";
                return false;
            }

            if (into.Count >= limits.MaxParameters)
            {
                error = "URI has too many parameters";
                return false;
            }

            into.Add(new(name, value));
        }

        error = null;
        return true;
    }

    private static bool TryReadHeaders(ReadOnlySpan<char> s, SipParameters into, SipParserLimits limits, [NotNullWhen(false)] out string? error)
    {
        while (true)
        {
            var amp = s.IndexOf('&');
            var item = amp < 0 ? s : s[..amp];
            var eq = item.IndexOf('=');
            string value = "";
            if (eq <= 0 || !TryUnescape(item[..eq], Part.Header, out var name)
                || !TryUnescape(item[(eq + 1)..], Part.Header, out value!))
            {
                error = "URI header is malformed";
                return false;
            }

            if (into.Count >= limits.MaxParameters)
            {
                error = "URI has too many headers";
                return false;
            }

            into.Add(new(name, value));
            if (amp < 0)
            {
                error = null;
                return true;
            }

            s = s[(amp + 1)..];
        }
    }

    internal enum Part
    {
        User,
        Password,
        Param,
        Header,
    }

    private static bool IsAllowed(char c, Part part) => part switch
    {
        Part.User => SipCharClasses.IsUserChar(c),
        Part.Password => SipCharClasses.IsPasswordChar(c),
        Part.Param => SipCharClasses.IsParamChar(c),
        _ => SipCharClasses.IsHeaderChar(c),
    };

    /// <summary>Validates the characters of one URI part and decodes its %-escapes as UTF-8 (RFC 3261 19.1.2).</summary>
    internal static bool TryUnescape(ReadOnlySpan<char> s, Part part, [NotNullWhen(true)] out string? value)
    {
        value = null;
        var hasEscape = false;
        foreach (var c in s)
        {
            if (c == '%')
            {
                hasEscape = true;
            }
            else if (!IsAllowed(c, part))
            {
                return false;
            }
        }

        if (!hasEscape)
        {
            value = s.ToString();
            return true;
        }

        var rented = ArrayPool<byte>.Shared.Rent(s.Length);
        try
        {
            var n = 0;
            for (var i = 0; i < s.Length; i++)
            {
                if (s[i] != '%')
                {
                    rented[n++] = (byte)s[i];
                    continue;
                }

                if (i + 2 >= s.Length)
                {
                    return false;
                }

                var hi = HexValue(s[i + 1]);
                var lo = HexValue(s[i + 2]);
                if (hi < 0 || lo < 0)
                {
                    return false;
                }

                rented[n++] = (byte)((hi << 4) | lo);
                i += 2;
            }

            value = Encoding.UTF8.GetString(rented, 0, n);
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
