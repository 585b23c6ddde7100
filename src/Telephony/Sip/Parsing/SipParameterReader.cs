using System.Diagnostics.CodeAnalysis;
using System.Text;
using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Sip.Parsing;

/// <summary>
/// Reads the pieces header values share: header parameters with SWS around ';' and '='
/// (RFC 3261 25.1 SEMI, EQUAL, generic-param) and quoted strings with quoted-pairs.
/// </summary>
internal static class SipParameterReader
{
    /// <summary>
    /// *( SEMI generic-param ). A quoted-string value is kept with its quotes so it is written back
    /// unchanged. Stops before anything that is not ';' after optional whitespace.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<char> s, ref int i, SipParameters into, SipParserLimits limits, [NotNullWhen(false)] out string? error)
    {
        while (true)
        {
            var j = SipCharClasses.SkipWhite(s, i);
            if (j >= s.Length || s[j] != ';')
            {
                i = j;
                error = null;
                return true;
            }

            j = SipCharClasses.SkipWhite(s, j + 1);
            var nameStart = j;
            while (j < s.Length && SipCharClasses.IsToken(s[j]))
            {
                j++;
            }

            if (j == nameStart)
            {
                // RFC 4475 3.1.2.1: an empty parameter (";;") is malformed.
                error = "empty parameter";
                return false;
            }

            var name = s[nameStart..j].ToString();
            string? value = null;
            var k = SipCharClasses.SkipWhite(s, j);
            if (k < s.Length && s[k] == '=')
            {
                k = SipCharClasses.SkipWhite(s, k + 1);
                var valueStart = k;
                if (k < s.Length && s[k] == '"')
                {
                    if (!TrySkipQuoted(s, ref k))
                    {
                        error = "unterminated quoted parameter value";
                        return false;
                    }
                }
                else
                {
                    // gen-value = token / host / quoted-string; ':' and brackets admit IPv6 in received=.
                    while (k < s.Length && (SipCharClasses.IsToken(s[k]) || s[k] is ':' or '[' or ']'))
                    {
                        k++;
                    }
                }

                if (k == valueStart)
                {
                    error = "parameter " + name + " has an empty value";
                    return false;
                }

                value = s[valueStart..k].ToString();
                j = k;
            }

            if (into.Count >= limits.MaxParameters)
            {
                error = "too many parameters";
                return false;
            }

            into.Add(new(name, value));
            i = j;
        }
    }

    /// <summary>Advances past a quoted-string starting at s[i] == '"'; false when unterminated.</summary>
    public static bool TrySkipQuoted(ReadOnlySpan<char> s, ref int i)
    {
        var j = i + 1;
        while (j < s.Length)
        {
            var c = s[j];
            if (c == '\\')
            {
                j += 2;
                continue;
            }

            if (c == '"')
            {
                i = j + 1;
                return true;
            }

            j++;
        }

        return false;
    }

    /// <summary>Reads a quoted-string at s[i] == '"' and returns its content with quoted-pairs undone (RFC 3261 25.1).</summary>
    public static bool TryReadQuoted(ReadOnlySpan<char> s, ref int i, [NotNullWhen(true)] out string? content)
    {
        var start = i;
        if (!TrySkipQuoted(s, ref i))
        {
            content = null;
            return false;
        }

        var inner = s[(start + 1)..(i - 1)];
        if (inner.IndexOf('\\') < 0)
        {
            content = inner.ToString();
            return true;
        }

        var sb = new StringBuilder(inner.Length);
        for (var k = 0; k < inner.Length; k++)
        {
            if (inner[k] == '\\' && k + 1 < inner.Length)
            {
                k++;
            }

            sb.Append(inner[k]);
        }

        content = sb.ToString();
        return true;
    }
}
