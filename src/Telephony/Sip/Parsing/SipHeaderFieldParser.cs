using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Sip.Parsing;

/// <summary>Applies one header field (name already classified, value unfolded) to the message being parsed.</summary>
internal static class SipHeaderFieldParser
{
    public static void Apply(SipParseState state, SipHeaderKind kind, string name, string value)
    {
        var m = state.Message!;
        if (IsSingleValue(kind))
        {
            var bit = 1 << (int)kind;
            if ((state.Seen & bit) != 0)
            {
                // RFC 4475 3.3.8, 3.3.9: two values of a single-value header.
                state.Fail(SipParseFault.DuplicateSingleValueHeader, name + " appears more than once");
                if (kind == SipHeaderKind.ContentLength)
                {
                    state.ContentLength = null;
                    state.ContentLengthFault = SipParseFault.DuplicateSingleValueHeader;
                }

                return;
            }

            state.Seen |= bit;
        }

        switch (kind)
        {
            case SipHeaderKind.Via:
                ApplyVias(state, value);
                break;
            case SipHeaderKind.From:
            case SipHeaderKind.To:
                ApplyAddress(state, kind, name, value);
                break;
            case SipHeaderKind.CallId:
                ApplyCallId(state, value);
                break;
            case SipHeaderKind.CSeq:
                ApplyCSeq(state, value);
                break;
            case SipHeaderKind.MaxForwards:
                // RFC 3261 20.22: 0..255 (RFC 4475 3.1.2.4 sends 300).
                if (TryReadNumber(state, value, name, 255, out var mf))
                {
                    m.MaxForwards = (int)mf;
                }

                break;
            case SipHeaderKind.Expires:
                // RFC 3261 20.19: delta-seconds up to 2**32-1.
                if (TryReadNumber(state, value, name, uint.MaxValue, out var exp))
                {
                    m.Expires = (uint)exp;
                }

                break;
            case SipHeaderKind.ContentLength:
                ApplyContentLength(state, value);
                break;
            case SipHeaderKind.ContentType:
                ApplyContentType(state, value);
                break;
            case SipHeaderKind.Contact:
                if (value == "*")
                {
                    m.ContactStar = true;
                }
                else
                {
                    ApplyAddressList(state, name, value, m.Contacts);
                }

                break;
            case SipHeaderKind.Route:
                ApplyAddressList(state, name, value, m.Routes);
                break;
            case SipHeaderKind.RecordRoute:
                ApplyAddressList(state, name, value, m.RecordRoutes);
                break;
            case SipHeaderKind.Path:
                ApplyAddressList(state, name, value, m.Paths);
                break;
            case SipHeaderKind.Date:
                // RFC 3261 20.17: SIP-date is always GMT (RFC 4475 3.1.2.12).
                if (!value.EndsWith(" GMT", StringComparison.Ordinal))
                {
                    state.Fail(SipParseFault.BadHeaderValue, "Date is not in GMT");
                }

                m.Headers.Add(new SipHeader(name, value));
                break;
            default:
                m.Headers.Add(new SipHeader(name, value));
                break;
        }
    }

    private static bool IsSingleValue(SipHeaderKind kind) => kind is SipHeaderKind.From or SipHeaderKind.To
        or SipHeaderKind.CallId or SipHeaderKind.CSeq or SipHeaderKind.MaxForwards or SipHeaderKind.ContentLength
        or SipHeaderKind.ContentType or SipHeaderKind.Expires or SipHeaderKind.Date;

    private static void ApplyVias(SipParseState state, string value)
    {
        var vias = state.Message!.Vias;
        var s = value.AsSpan();
        var i = 0;
        while (true)
        {
            if (!SipViaParser.TryRead(s, ref i, state.Limits, out var via, out var error))
            {
                state.Fail(SipParseFault.BadHeaderValue, "Via: " + error);
                return;
            }

            if (vias.Count >= state.Limits.MaxListItems)
            {
                state.FailAndStop(SipParseFault.TooManyItems, "too many Via values");
                return;
            }

            vias.Add(via);
            if (!TryNextItem(s, ref i))
            {
                if (i < s.Length)
                {
                    state.Fail(SipParseFault.BadHeaderValue, "Via: unexpected characters");
                }

                return;
            }
        }
    }

    private static void ApplyAddressList(SipParseState state, string name, string value, List<SipNameAddress> into)
    {
        var s = value.AsSpan();
        var i = 0;
        while (true)
        {
            if (!SipNameAddressParser.TryRead(s, ref i, inList: true, state.Limits, out var address, out var error))
            {
                state.Fail(SipParseFault.BadHeaderValue, name + ": " + error);
                return;
            }

            if (into.Count >= state.Limits.MaxListItems)
            {
                state.FailAndStop(SipParseFault.TooManyItems, "too many " + name + " values");
                return;
            }

            into.Add(address);
            if (!TryNextItem(s, ref i))
            {
                if (i < s.Length)
                {
                    state.Fail(SipParseFault.BadHeaderValue, name + ": unexpected characters");
                }

                return;
            }
        }
    }

    /// <summary>At the end of one list item: true and past the COMMA when another item follows.</summary>
    private static bool TryNextItem(ReadOnlySpan<char> s, ref int i)
    {
        i = SipCharClasses.SkipWhite(s, i);
        if (i < s.Length && s[i] == ',')
        {
            i++;
            return true;
        }

        return false;
    }

    private static void ApplyAddress(SipParseState state, SipHeaderKind kind, string name, string value)
    {
        var s = value.AsSpan();
        var i = 0;
        if (!SipNameAddressParser.TryRead(s, ref i, inList: false, state.Limits, out var address, out var error))
        {
            state.Fail(SipParseFault.BadHeaderValue, name + ": " + error);
            return;
        }

        if (i != s.Length)
        {
            state.Fail(SipParseFault.BadHeaderValue, name + ": unexpected characters after the address");
            return;
        }

        if (kind == SipHeaderKind.From)
        {
            state.Message!.From = address;
        }
        else
        {
            state.Message!.To = address;
        }
    }

    private static void ApplyCallId(SipParseState state, string value)
    {
        // RFC 3261 25.1: callid = word [ "@" word ].
        var ok = value.Length > 0;
        foreach (var c in value)
        {
            if (!SipCharClasses.IsWord(c) && c != '@')
            {
                ok = false;
                break;
            }
        }

        if (!ok)
        {
            state.Fail(SipParseFault.BadHeaderValue, "Call-ID is malformed");
            return;
        }

        state.Message!.CallId = value;
    }

    private static void ApplyCSeq(SipParseState state, string value)
    {
        var s = value.AsSpan();
        var i = 0;
        while (i < s.Length && SipCharClasses.IsDigit(s[i]))
        {
            i++;
        }

        var digits = s[..i];
        var j = SipCharClasses.SkipWhite(s, i);
        var method = s[j..];
        if (digits.IsEmpty || j == i || !SipCharClasses.IsTokenString(method))
        {
            state.Fail(SipParseFault.BadHeaderValue, "CSeq is malformed");
            return;
        }

        // RFC 3261 8.1.1.5: the sequence number is below 2**31.
        if (!TryParseBounded(digits, int.MaxValue, out var number))
        {
            state.Fail(SipParseFault.ValueOutOfRange, "CSeq number is 2**31 or more");
            return;
        }

        state.Message!.CSeq = new SipCSeq((uint)number, method.ToString());
    }

    private static void ApplyContentLength(SipParseState state, string value)
    {
        var s = value.AsSpan();
        if (s.Length > 1 && s[0] == '-' && IsAllDigits(s[1..]))
        {
            state.ContentLengthFault = SipParseFault.NegativeContentLength;
            state.Fail(SipParseFault.NegativeContentLength, "Content-Length is negative");
            return;
        }

        if (!IsAllDigits(s))
        {
            state.ContentLengthFault = SipParseFault.BadContentLength;
            state.Fail(SipParseFault.BadContentLength, "Content-Length is not a number");
            return;
        }

        if (!TryParseBounded(s, int.MaxValue, out var length))
        {
            state.ContentLengthFault = SipParseFault.TooLarge;
            state.Fail(SipParseFault.TooLarge, "Content-Length is out of range");
            return;
        }

        state.ContentLength = (int)length;
    }

    private static void ApplyContentType(SipParseState state, string value)
    {
        // RFC 3261 20.15: m-type SLASH m-subtype *(SEMI m-parameter).
        var s = value.AsSpan();
        var slash = s.IndexOf('/');
        var semi = s.IndexOf(';');
        var end = semi < 0 ? s.Length : semi;
        if (slash <= 0 || slash > end || !SipCharClasses.IsTokenString(s[..slash].Trim())
            || !SipCharClasses.IsTokenString(s[(slash + 1)..end].Trim()))
        {
            state.Fail(SipParseFault.BadHeaderValue, "Content-Type is malformed");
            return;
        }

        state.Message!.ContentType = value;
    }

    private static bool TryReadNumber(SipParseState state, string value, string name, ulong max, out ulong result)
    {
        if (!IsAllDigits(value))
        {
            result = 0;
            state.Fail(SipParseFault.BadHeaderValue, name + " is not a number");
            return false;
        }

        if (!TryParseBounded(value, max, out result))
        {
            state.Fail(SipParseFault.ValueOutOfRange, name + " is out of range");
            return false;
        }

        return true;
    }

    private static bool IsAllDigits(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!SipCharClasses.IsDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Decimal digits (leading zeros allowed, RFC 4475 3.1.1.1) at most <paramref name="max"/>; never overflows.</summary>
    private static bool TryParseBounded(ReadOnlySpan<char> digits, ulong max, out ulong value)
    {
        value = 0;
        foreach (var c in digits)
        {
            value = (value * 10) + (ulong)(c - '0');
            if (value > max)
            {
                return false;
            }
        }

        return true;
    }
}
