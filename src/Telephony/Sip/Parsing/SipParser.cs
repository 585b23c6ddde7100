using System.Buffers;
using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Sip.Parsing;

/// <summary>
/// Frames and parses SIP messages from bytes (RFC 3261 7, 18.3, 25; RFC 4475). Stateless and
/// thread-safe. The head is read line by line on bytes, each header value becomes one string, and
/// the body is copied once into memory the message owns.
/// </summary>
public static class SipParser
{
    private static ReadOnlySpan<byte> HeadEnd => "\r\n\r\n"u8;

    /// <summary>
    /// Parses one UDP datagram, which holds exactly one message (RFC 3261 18.3). Content-Length is
    /// authoritative when present: bytes after it are ignored (RFC 4475 3.1.1.8) and a value larger
    /// than the datagram is a 400 (3.1.2.2); without it the body is the rest of the datagram.
    /// <see cref="SipParseResult.Consumed"/> is always the whole datagram.
    /// </summary>
    public static SipParseResult ParseDatagram(ReadOnlySpan<byte> datagram, SipParserLimits? limits = null)
    {
        limits ??= SipParserLimits.Default;
        var total = datagram.Length;
        if (total > limits.MaxMessageBytes)
        {
            return SipParseResult.Reject(new SipParseError(SipParseFault.TooLarge, "datagram larger than " + limits.MaxMessageBytes + " bytes", 513, null), total);
        }

        // RFC 3261 7.5: CRLFs before the start line are ignored; a datagram of only CRLFs is a keep-alive.
        var skip = CountLeadingCrLf(datagram);
        if (skip == total)
        {
            return SipParseResult.KeepAlive(total);
        }

        var data = datagram[skip..];
        var headLength = data.IndexOf(HeadEnd);
        int bodyStart;
        if (headLength < 0)
        {
            // No empty line: take the whole datagram as the head, with no body.
            headLength = data.EndsWith("\r\n"u8) ? data.Length - 2 : data.Length;
            bodyStart = data.Length;
        }
        else
        {
            bodyStart = headLength + 4;
        }

        var state = new SipParseState(limits);
        SipHeadParser.Parse(data[..headLength], state);
        var available = data.Length - bodyStart;
        var bodyLength = available;
        if (state.ContentLength is { } declared)
        {
            if (declared > available)
            {
                state.Fail(SipParseFault.ContentLengthMismatch, "Content-Length " + declared + " exceeds the " + available + " bytes received");
            }
            else
            {
                bodyLength = declared;
            }
        }

        if (state.ToError() is { } error)
        {
            return SipParseResult.Reject(error, total);
        }

        var message = state.Message!;
        message.Body = bodyLength == 0 ? ReadOnlyMemory<byte>.Empty : data.Slice(bodyStart, bodyLength).ToArray();
        return SipParseResult.Parsed(message, total);
    }

    /// <summary>
    /// Frames one message at the start of a stream buffer (TCP, TLS). Leading CRLFs are reported as
    /// <see cref="SipParseStatus.KeepAlive"/> (RFC 5626 3.5.1: "\r\n\r\n" is a ping to answer with
    /// "\r\n"). Content-Length is required (RFC 3261 18.3). Returns NeedMoreData until the whole
    /// message is buffered; advance the buffer by <see cref="SipParseResult.Consumed"/> otherwise.
    /// After a rejection whose <see cref="SipParseError.LosesFraming"/> is true, close the connection.
    /// </summary>
    public static SipParseResult ParseStream(ReadOnlySequence<byte> buffer, SipParserLimits? limits = null)
    {
        limits ??= SipParserLimits.Default;
        var reader = new SequenceReader<byte>(buffer);
        var skipped = reader.AdvancePastAny((byte)'\r', (byte)'\n');
        if (skipped > 0)
        {
            return SipParseResult.KeepAlive((int)skipped);
        }

        if (buffer.IsEmpty)
        {
            return SipParseResult.NeedMore;
        }

        // The head is searched in one contiguous span: the first segment when it holds enough,
        // otherwise a pooled copy of at most MaxMessageBytes.
        var searchLength = (int)Math.Min(buffer.Length, limits.MaxMessageBytes);
        byte[]? rented = null;
        try
        {
            ReadOnlySpan<byte> head;
            if (buffer.FirstSpan.Length >= searchLength)
            {
                head = buffer.FirstSpan[..searchLength];
            }
            else
            {
                rented = ArrayPool<byte>.Shared.Rent(searchLength);
                buffer.Slice(0, searchLength).CopyTo(rented);
                head = rented.AsSpan(0, searchLength);
            }

            return ParseStreamHead(buffer, head, limits);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static SipParseResult ParseStreamHead(ReadOnlySequence<byte> buffer, ReadOnlySpan<byte> search, SipParserLimits limits)
    {
        var headLength = search.IndexOf(HeadEnd);
        if (headLength < 0)
        {
            if (search.Length >= limits.MaxMessageBytes)
            {
                return SipParseResult.Reject(new SipParseError(SipParseFault.TooLarge, "no end of headers within " + limits.MaxMessageBytes + " bytes", 513, null) { LosesFraming = true }, search.Length);
            }

            // An endless line is refused as soon as it is longer than the limit, not at MaxMessageBytes.
            var lastCrlf = search.LastIndexOf("\r\n"u8);
            var tail = lastCrlf < 0 ? search.Length : search.Length - lastCrlf - 2;
            if (tail > limits.MaxLineBytes)
            {
                return SipParseResult.Reject(new SipParseError(SipParseFault.LineTooLong, "line longer than " + limits.MaxLineBytes + " bytes", 513, null) { LosesFraming = true }, search.Length);
            }

            return SipParseResult.NeedMore;
        }

        var state = new SipParseState(limits);
        SipHeadParser.Parse(search[..headLength], state);
        var bodyStart = headLength + 4;
        if (state.ContentLength is not { } bodyLength)
        {
            // Without a usable length the next message cannot be found: whatever else is wrong, the
            // fault reported is the framing one, so the caller closes the connection.
            if (state.Abort)
            {
                return SipParseResult.Reject(state.ToError()! with { LosesFraming = true }, bodyStart);
            }

            var fault = state.ContentLengthFault ?? SipParseFault.MissingContentLength;
            var detail = state.ContentLengthFault is null ? "Content-Length is required on a stream" : "Content-Length is unusable";
            return SipParseResult.Reject(FramingError(state, fault, detail, 400), bodyStart);
        }

        if ((long)bodyStart + bodyLength > limits.MaxMessageBytes)
        {
            return SipParseResult.Reject(FramingError(state, SipParseFault.TooLarge, "message larger than " + limits.MaxMessageBytes + " bytes", 513), bodyStart);
        }

        var total = bodyStart + bodyLength;
        if (buffer.Length < total)
        {
            return SipParseResult.NeedMore;
        }

        if (state.ToError() is { } error)
        {
            return SipParseResult.Reject(error, total);
        }

        var message = state.Message!;
        message.Body = bodyLength == 0 ? ReadOnlyMemory<byte>.Empty : buffer.Slice(bodyStart, bodyLength).ToArray();
        return SipParseResult.Parsed(message, total);
    }

    private static SipParseError FramingError(SipParseState state, SipParseFault fault, string detail, int statusCode)
    {
        var partial = state.Message as SipRequest;
        return new SipParseError(fault, detail, partial is null ? 0 : statusCode, partial) { LosesFraming = true };
    }

    private static int CountLeadingCrLf(ReadOnlySpan<byte> data)
    {
        var i = data.IndexOfAnyExcept((byte)'\r', (byte)'\n');
        return i < 0 ? data.Length : i;
    }
}
