using System.Buffers;
using System.Text;
using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Sip.Parsing;

/// <summary>
/// Parses the head of a message: the start line and the header fields up to (not including) the
/// empty line (RFC 3261 7.1-7.3). Works line by line on bytes; each header value becomes one string.
/// </summary>
internal static class SipHeadParser
{
    private static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    public static void Parse(ReadOnlySpan<byte> head, SipParseState state)
    {
        var eol = head.IndexOf(Crlf);
        var startLine = eol < 0 ? head : head[..eol];
        if (startLine.Length > state.Limits.MaxLineBytes)
        {
            state.FailAndStop(SipParseFault.LineTooLong, "start line too long");
            return;
        }

        if (startLine.StartsWith("SIP/"u8))
        {
            // A method is a token, and '/' is not a token character, so this is a status line.
            SipStartLineParser.ParseStatusLine(startLine, state);
        }
        else
        {
            SipStartLineParser.ParseRequestLine(startLine, state);
        }

        if (state.Message is null || eol < 0)
        {
            Validate(state);
            return;
        }

        ParseHeaders(head[(eol + 2)..], state);
        if (!state.Abort)
        {
            Validate(state);
        }
    }

    private static void ParseHeaders(ReadOnlySpan<byte> rest, SipParseState state)
    {
        var limits = state.Limits;
        var count = 0;
        while (!rest.IsEmpty)
        {
            // One field: its first line, plus continuation lines starting with SP or HTAB (RFC 3261 7.3.1).
            var fieldEnd = NextLineEnd(rest, out var next);
            var bare = HasBareCrOrLf(rest[..fieldEnd]);
            var folded = false;
            while (next < rest.Length && rest[next] is (byte)' ' or (byte)'\t')
            {
                folded = true;
                var line = rest[next..];
                var lineEnd = NextLineEnd(line, out var after);
                bare |= HasBareCrOrLf(line[..lineEnd]);
                fieldEnd = next + lineEnd;
                next += after;
                if (fieldEnd > limits.MaxLineBytes)
                {
                    break;
                }
            }

            var field = rest[..fieldEnd];
            rest = next >= rest.Length ? [] : rest[next..];
            if (++count > limits.MaxHeaderCount)
            {
                state.FailAndStop(SipParseFault.TooManyHeaders, "more than " + limits.MaxHeaderCount + " header fields");
                return;
            }

            if (fieldEnd > limits.MaxLineBytes)
            {
                state.FailAndStop(SipParseFault.LineTooLong, "header field longer than " + limits.MaxLineBytes + " bytes");
                return;
            }

            if (bare)
            {
                // Lines were split at CRLF; a CR or LF left inside is bare and could smuggle a header.
                state.Fail(SipParseFault.BadHeaderValue, "bare CR or LF in a header line");
                continue;
            }

            ParseField(field, folded, state);
            if (state.Abort)
            {
                return;
            }
        }
    }

    private static bool HasBareCrOrLf(ReadOnlySpan<byte> line) => line.IndexOfAny((byte)'\r', (byte)'\n') >= 0;

    /// <summary>Index of the CRLF ending the first line of s (s.Length if none); <paramref name="next"/> is past it.</summary>
    private static int NextLineEnd(ReadOnlySpan<byte> s, out int next)
    {
        var i = s.IndexOf(Crlf);
        if (i < 0)
        {
            next = s.Length;
            return s.Length;
        }

        next = i + 2;
        return i;
    }

    private static void ParseField(ReadOnlySpan<byte> field, bool folded, SipParseState state)
    {
        var colon = field.IndexOf((byte)':');
        if (colon < 0)
        {
            state.Fail(SipParseFault.BadHeaderName, "header line without a colon");
            return;
        }

        // RFC 3261 7.3.1: whitespace may precede the colon (RFC 4475 3.1.1.1).
        var nameBytes = field[..colon].TrimEnd(" \t"u8);
        if (!SipCharClasses.IsTokenBytes(nameBytes))
        {
            state.Fail(SipParseFault.BadHeaderName, "header name is not a token");
            return;
        }

        var raw = field[(colon + 1)..];
        var kind = SipHeaderKinds.Classify(nameBytes);
        var name = kind switch
        {
            SipHeaderKind.Other or SipHeaderKind.Date => SipHeaderKinds.NameOf(nameBytes, kind),
            _ => LongName(kind),
        };
        var value = folded ? Unfold(raw) : Encoding.UTF8.GetString(raw.Trim(" \t"u8));
        SipHeaderFieldParser.Apply(state, kind, name, value);
    }

    private static string LongName(SipHeaderKind kind) => kind switch
    {
        SipHeaderKind.Via => SipHeaderNames.Via,
        SipHeaderKind.From => SipHeaderNames.From,
        SipHeaderKind.To => SipHeaderNames.To,
        SipHeaderKind.CallId => SipHeaderNames.CallId,
        SipHeaderKind.CSeq => SipHeaderNames.CSeq,
        SipHeaderKind.MaxForwards => SipHeaderNames.MaxForwards,
        SipHeaderKind.Contact => SipHeaderNames.Contact,
        SipHeaderKind.ContentLength => SipHeaderNames.ContentLength,
        SipHeaderKind.ContentType => SipHeaderNames.ContentType,
        SipHeaderKind.Expires => SipHeaderNames.Expires,
        SipHeaderKind.Route => SipHeaderNames.Route,
        SipHeaderKind.RecordRoute => SipHeaderNames.RecordRoute,
        SipHeaderKind.Path => SipHeaderNames.Path,
        _ => SipHeaderNames.Date,
    };

    /// <summary>Joins the lines of a folded value with one space each, trimmed (RFC 3261 7.3.1: a fold is LWS).</summary>
    private static string Unfold(ReadOnlySpan<byte> raw)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(raw.Length);
        try
        {
            var n = 0;
            while (true)
            {
                var eol = raw.IndexOf(Crlf);
                var line = (eol < 0 ? raw : raw[..eol]).Trim(" \t"u8);
                if (!line.IsEmpty)
                {
                    if (n > 0)
                    {
                        buffer[n++] = (byte)' ';
                    }

                    line.CopyTo(buffer.AsSpan(n));
                    n += line.Length;
                }

                if (eol < 0)
                {
                    break;
                }

                raw = raw[(eol + 2)..];
            }

            return Encoding.UTF8.GetString(buffer, 0, n);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The headers every message needs (RFC 3261 8.1.1) and the CSeq method rule (8.1.1.5, RFC 4475 3.1.2.17).</summary>
    private static void Validate(SipParseState state)
    {
        var m = state.Message;
        if (m is null)
        {
            return;
        }

        if (m.Vias.Count == 0)
        {
            state.Fail(SipParseFault.MissingRequiredHeader, "Via is missing");
        }

        if (m.From is null)
        {
            state.Fail(SipParseFault.MissingRequiredHeader, "From is missing");
        }

        if (m.To is null)
        {
            state.Fail(SipParseFault.MissingRequiredHeader, "To is missing");
        }

        if (m.CallId is null)
        {
            state.Fail(SipParseFault.MissingRequiredHeader, "Call-ID is missing");
        }

        if (m.CSeq is not { } cseq)
        {
            state.Fail(SipParseFault.MissingRequiredHeader, "CSeq is missing");
        }
        else if (m is SipRequest request && !string.Equals(cseq.Method, request.Method, StringComparison.Ordinal))
        {
            state.Fail(SipParseFault.CSeqMethodMismatch, "CSeq method " + cseq.Method + " differs from " + request.Method);
        }
    }
}
