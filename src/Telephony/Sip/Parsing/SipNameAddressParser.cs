using System.Diagnostics.CodeAnalysis;
using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Sip.Parsing;

/// <summary>
/// name-addr / addr-spec with header parameters (RFC 3261 20.10, 25.1): parameters outside the
/// angle brackets belong to the header, those inside to the URI (RFC 4475 3.3.12, 3.3.13).
/// </summary>
internal static class SipNameAddressParser
{
    /// <summary>
    /// Reads one value at s[i..]. In a list header (<paramref name="inList"/>) an addr-spec also
    /// ends at ','. On return i is after the value's parameters and any whitespace.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<char> s, ref int i, bool inList, SipParserLimits limits, [NotNullWhen(true)] out SipNameAddress? address, [NotNullWhen(false)] out string? error)
    {
        address = null;
        var j = SipCharClasses.SkipWhite(s, i);
        string? displayName = null;

        if (j < s.Length && s[j] == '"')
        {
            if (!SipParameterReader.TryReadQuoted(s, ref j, out displayName))
            {
                error = "unterminated quoted display name";
                return false;
            }

            j = SipCharClasses.SkipWhite(s, j);
            if (j >= s.Length || s[j] != '<')
            {
                error = "quoted display name not followed by <";
                return false;
            }
        }
        else if (j < s.Length && s[j] != '<')
        {
            // Either *(token LWS) "<" (a display name, RFC 4475 3.1.1.6 allows no space before "<")
            // or an addr-spec; look ahead over tokens to tell which.
            var k = j;
            var lastTokenEnd = j;
            while (k < s.Length && SipCharClasses.IsToken(s[k]))
            {
                while (k < s.Length && SipCharClasses.IsToken(s[k]))
                {
                    k++;
                }

                lastTokenEnd = k;
                k = SipCharClasses.SkipWhite(s, k);
            }

            if (k < s.Length && s[k] == '<')
            {
                displayName = CollapseWhite(s[j..lastTokenEnd]);
                j = k;
            }
        }

        SipUri? uri;
        if (j < s.Length && s[j] == '<')
        {
            var close = s[j..].IndexOf('>');
            if (close < 0)
            {
                error = "< without >";
                return false;
            }

            if (!SipUriParser.TryParse(s[(j + 1)..(j + close)], limits, out uri, out error))
            {
                return false;
            }

            j += close + 1;
        }
        else
        {
            var start = j;
            while (j < s.Length && s[j] is not ';' and not ' ' and not '\t' && !(inList && s[j] == ','))
            {
                j++;
            }

            var spec = s[start..j];

            // RFC 3261 20: a URI with ',', '?' or ';' must be in angle brackets; one with '?' outside
            // them is ambiguous (RFC 4475 3.1.2.13), so it is rejected rather than guessed.
            if (spec.IndexOf('?') >= 0)
            {
                error = "addr-spec with '?' outside <>";
                return false;
            }

            if (!SipUriParser.TryParse(spec, limits, out uri, out error))
            {
                return false;
            }
        }

        address = new SipNameAddress { DisplayName = displayName, Uri = uri };
        if (!SipParameterReader.TryRead(s, ref j, address.Parameters, limits, out error))
        {
            address = null;
            return false;
        }

        i = j;
        return true;
    }

    /// <summary>A display name made of tokens, with each run of whitespace between them one space.</summary>
    private static string CollapseWhite(ReadOnlySpan<char> s)
    {
        var hasRun = false;
        for (var k = 0; k + 1 < s.Length; k++)
        {
            if (s[k] == '\t' || (s[k] == ' ' && SipCharClasses.IsWhite(s[k + 1])))
            {
                hasRun = true;
                break;
            }
        }

        if (!hasRun)
        {
            return s.ToString();
        }

        Span<char> buffer = s.Length <= 256 ? stackalloc char[s.Length] : new char[s.Length];
        var n = 0;
        for (var k = 0; k < s.Length; k++)
        {
            if (SipCharClasses.IsWhite(s[k]))
            {
                if (n > 0 && buffer[n - 1] != ' ')
                {
                    buffer[n++] = ' ';
                }
            }
            else
            {
                buffer[n++] = s[k];
            }
        }

        return buffer[..n].ToString();
    }
}
