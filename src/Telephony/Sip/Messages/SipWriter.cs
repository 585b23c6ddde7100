using System.Buffers;
using System.Globalization;
using System.Text;

namespace CallCenter.Telephony.Sip.Messages;

/// <summary>
/// Writes messages and their parts in wire form (RFC 3261 7, 25.1): CRLF line ends, one header
/// per line, Content-Length always (from the body), URI parts re-escaped, display names quoted
/// when they are not plain tokens.
/// </summary>
public static partial class SipWriter
{
    // RFC 3261 25.1: user-unreserved, password, param-unreserved and hnv-unreserved on top of unreserved.
    private static readonly SearchValues<char> _userChars = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!~*'()&=+$,;?/");

    private static readonly SearchValues<char> _passwordChars = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!~*'()&=+$,");

    private static readonly SearchValues<char> _paramChars = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!~*'()[]/:&+$");

    private static readonly SearchValues<char> _headerChars = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!~*'()[]/?:+$");

    private static readonly SearchValues<char> _tokenChars = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~");

    // Each thread's head builder, kept between messages: a message used to cost a builder, its grown chunks, a
    // growing byte buffer and a final copy; now it costs its one array. One larger than this is not kept.
    [ThreadStatic]
    private static StringBuilder? _head;

    private const int KeptHeadChars = 16 * 1024;

    /// <summary>The message in wire form: one array, sized from the head's encoded length and the body's.</summary>
    public static byte[] ToBytes(SipMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message is SipResponse { Wire: { } wire })
        {
            return wire;
        }

        var sb = _head ?? new StringBuilder(2048);
        _head = null; // not shared with a nested use while it is being written
        try
        {
            AppendHead(sb, message);
            var head = HeadText(sb).Span;
            var bytes = GC.AllocateUninitializedArray<byte>(Encoding.UTF8.GetByteCount(head) + message.Body.Length);
            var at = Encoding.UTF8.GetBytes(head, bytes);
            message.Body.Span.CopyTo(bytes.AsSpan(at));
            return bytes;
        }
        finally
        {
            if (sb.Capacity <= KeptHeadChars)
            {
                _head = sb.Clear();
            }
        }
    }

    /// <summary>Writes the message in wire form into <paramref name="output"/>.</summary>
    public static void Write(SipMessage message, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(output);
        if (message is SipResponse { Wire: { } wire })
        {
            output.Write(wire);
            return;
        }

        var sb = new StringBuilder(512);
        AppendHead(sb, message);
        var head = HeadText(sb).Span;
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(head.Length));
        output.Advance(Encoding.UTF8.GetBytes(head, span));
        output.Write(message.Body.Span);
    }

    /// <summary>
    /// The head as one run of text: the builder's own chunk when it has one (a kept builder, after its first message),
    /// otherwise its string. Encoded chunk by chunk, a surrogate pair split between two chunks (an emoji in a display
    /// name) would go out as two replacement characters.
    /// </summary>
    private static ReadOnlyMemory<char> HeadText(StringBuilder sb)
    {
        ReadOnlyMemory<char> only = default;
        var chunks = 0;
        foreach (var chunk in sb.GetChunks())
        {
            if (++chunks > 1)
            {
                return sb.ToString().AsMemory();
            }

            only = chunk;
        }

        return only;
    }

    /// <summary>The start line and headers, up to and with the blank line, as text.</summary>
    private static void AppendHead(StringBuilder sb, SipMessage message)
    {
        if (message is SipRequest request)
        {
            sb.Append(request.Method).Append(' ');
            AppendUri(sb, request.RequestUri);
            sb.Append(" SIP/2.0\r\n");
        }
        else
        {
            var response = (SipResponse)message;
            sb.Append("SIP/2.0 ").Append(response.StatusCode.ToString(CultureInfo.InvariantCulture)).Append(' ');
            AppendLineSafe(sb, response.ReasonPhrase);
            sb.Append("\r\n");
        }

        foreach (var via in message.Vias)
        {
            sb.Append("Via: ");
            AppendVia(sb, via);
            sb.Append("\r\n");
        }

        if (message.MaxForwards is { } maxForwards)
        {
            sb.Append("Max-Forwards: ").Append(maxForwards.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }

        AppendAddresses(sb, SipHeaderNames.Route, message.Routes);
        AppendAddresses(sb, SipHeaderNames.RecordRoute, message.RecordRoutes);
        AppendAddresses(sb, SipHeaderNames.Path, message.Paths);
        AppendAddress(sb, SipHeaderNames.From, message.From);
        AppendAddress(sb, SipHeaderNames.To, message.To);
        if (message.CallId is { } callId)
        {
            sb.Append("Call-ID: ");
            AppendLineSafe(sb, callId);
            sb.Append("\r\n");
        }

        if (message.CSeq is { } cseq)
        {
            sb.Append("CSeq: ").Append(cseq.Number.ToString(CultureInfo.InvariantCulture)).Append(' ');
            AppendLineSafe(sb, cseq.Method);
            sb.Append("\r\n");
        }

        if (message.ContactStar)
        {
            sb.Append("Contact: *\r\n");
        }

        AppendAddresses(sb, SipHeaderNames.Contact, message.Contacts);
        if (message.Expires is { } expires)
        {
            sb.Append("Expires: ").Append(expires.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }

        if (message.ContentType is { } contentType)
        {
            sb.Append("Content-Type: ");
            AppendLineSafe(sb, contentType);
            sb.Append("\r\n");
        }

        foreach (var header in message.Headers)
        {
            AppendLineSafe(sb, header.Name);
            sb.Append(": ");
            AppendLineSafe(sb, header.Value);
            sb.Append("\r\n");
        }

        sb.Append("Content-Length: ").Append(message.Body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n\r\n");
    }

    public static string Write(SipUri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var sb = new StringBuilder(64);
        AppendUri(sb, uri);
        return sb.ToString();
    }

    public static string Write(SipNameAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var sb = new StringBuilder(96);
        AppendNameAddress(sb, address);
        return sb.ToString();
    }

    public static string Write(SipVia via)
    {
        ArgumentNullException.ThrowIfNull(via);
        var sb = new StringBuilder(96);
        AppendVia(sb, via);
        return sb.ToString();
    }

    private static void AppendUri(StringBuilder sb, SipUri uri)
    {
        sb.Append(uri.Scheme);
        if (uri.Scheme.Length > 0)
        {
            sb.Append(':');
        }

        if (uri.Opaque is not null || !(uri.IsSip || uri.IsTel))
        {
            AppendLineSafe(sb, uri.Opaque ?? "");
            return;
        }

        if (uri.User is not null)
        {
            AppendEscaped(sb, uri.User, _userChars);
            if (uri.IsSip)
            {
                if (uri.Password is not null)
                {
                    sb.Append(':');
                    AppendEscaped(sb, uri.Password, _passwordChars);
                }

                sb.Append('@');
            }
        }

        if (uri.IsSip)
        {
            sb.Append(uri.Host);
            if (uri.Port is { } port)
            {
                sb.Append(':').Append(port.ToString(CultureInfo.InvariantCulture));
            }
        }

        foreach (var p in uri.Parameters)
        {
            sb.Append(';');
            AppendEscaped(sb, p.Key, _paramChars);
            if (p.Value is not null)
            {
                sb.Append('=');
                AppendEscaped(sb, p.Value, _paramChars);
            }
        }

        for (var i = 0; i < uri.Headers.Count; i++)
        {
            sb.Append(i == 0 ? '?' : '&');
            AppendEscaped(sb, uri.Headers[i].Key, _headerChars);
            sb.Append('=');
            AppendEscaped(sb, uri.Headers[i].Value ?? "", _headerChars);
        }
    }

    private static void AppendNameAddress(StringBuilder sb, SipNameAddress address)
    {
        if (address.DisplayName is { } name)
        {
            AppendDisplayName(sb, name);
            sb.Append(' ');
        }

        sb.Append('<');
        AppendUri(sb, address.Uri);
        sb.Append('>');
        AppendParameters(sb, address.Parameters);
    }

    private static void AppendVia(StringBuilder sb, SipVia via)
    {
        AppendLineSafe(sb, via.Protocol);
        sb.Append('/');
        AppendLineSafe(sb, via.Transport);
        sb.Append(' ');
        AppendLineSafe(sb, via.Host);
        if (via.Port is { } port)
        {
            sb.Append(':').Append(port.ToString(CultureInfo.InvariantCulture));
        }

        AppendParameters(sb, via.Parameters);
    }

    /// <summary>Header parameters are tokens (or kept quoted strings) and go out as they are.</summary>
    private static void AppendParameters(StringBuilder sb, SipParameters parameters)
    {
        foreach (var p in parameters)
        {
            sb.Append(';');
            AppendLineSafe(sb, p.Key);
            if (p.Value is not null)
            {
                sb.Append('=');
                AppendLineSafe(sb, p.Value);
            }
        }
    }

    /// <summary>
    /// One token goes out bare; anything else is a quoted-string (RFC 3261 25.1). The grammar also
    /// allows several tokens separated by spaces bare, but phones read such a name badly (baresip
    /// showed only the last word of <c>Emily Chen Quality</c>), so a name with a space is quoted too.
    /// </summary>
    private static void AppendDisplayName(StringBuilder sb, string name)
    {
        if (IsSingleToken(name))
        {
            sb.Append(name);
            return;
        }

        sb.Append('"');
        foreach (var c in name)
        {
            switch (c)
            {
                case '"' or '\\':
                    sb.Append('\\').Append(c);
                    break;
                case '\r' or '\n':
                    // quoted-pair cannot carry CR or LF.
                    sb.Append(' ');
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        sb.Append('"');
    }

    private static bool IsSingleToken(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!_tokenChars.Contains(c))
            {
                return false;
            }
        }

        return true;
    }

    private static void AppendAddress(StringBuilder sb, string name, SipNameAddress? address)
    {
        if (address is null)
        {
            return;
        }

        sb.Append(name).Append(": ");
        AppendNameAddress(sb, address);
        sb.Append("\r\n");
    }

    private static void AppendAddresses(StringBuilder sb, string name, List<SipNameAddress> addresses)
    {
        foreach (var address in addresses)
        {
            AppendAddress(sb, name, address);
        }
    }

    /// <summary>%-escapes every UTF-8 byte of characters outside <paramref name="allowed"/> (RFC 3261 19.1.2).</summary>
    private static void AppendEscaped(StringBuilder sb, string value, SearchValues<char> allowed)
    {
        if (!value.AsSpan().ContainsAnyExcept(allowed))
        {
            sb.Append(value);
            return;
        }

        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (allowed.Contains(c))
            {
                sb.Append(c);
                continue;
            }

            var length = char.IsHighSurrogate(c) && i + 1 < value.Length
                ? Encoding.UTF8.GetBytes(value.AsSpan(i++, 2), utf8)
                : Encoding.UTF8.GetBytes(value.AsSpan(i, 1), utf8);
            foreach (var b in utf8[..length])
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>Values written verbatim must not end the line early (header injection).</summary>
    private static void AppendLineSafe(StringBuilder sb, string value)
    {
        if (value.AsSpan().IndexOfAny('\r', '\n') < 0)
        {
            sb.Append(value);
            return;
        }

        foreach (var c in value)
        {
            sb.Append(c is '\r' or '\n' ? ' ' : c);
        }
    }
}
