using System.Globalization;
using System.Text;
using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Sip.Registrar;

/// <summary>
/// Canonical text for contact URIs without the shared serializer: the identity of a binding
/// (<see cref="Key"/>) and URI parameters as one escaped string that parses back.
/// </summary>
internal static class ContactKeys
{
    // RFC 3261 25.1: unreserved = alphanum / mark; user-unreserved and param-unreserved add these.
    private const string Mark = "-_.!~*'()";
    private const string UserUnreserved = "&=+$,;?/";
    private const string ParamUnreserved = "[]/:&+$";

    /// <summary>
    /// scheme:user@host[:port][;transport=t]: scheme, host and transport lower-cased, user
    /// escaped. RFC 3261 10.3 step 7 compares contacts by URI (19.1.4); this keeps the parts that
    /// decide where a request goes. An omitted port stays omitted, as 19.1.4 does not equate it with 5060.
    /// </summary>
    public static string Key(SipUri uri)
    {
        var builder = new StringBuilder(uri.Scheme.ToLowerInvariant()).Append(':');
        if (!string.IsNullOrEmpty(uri.User))
        {
            builder.Append(Escape(uri.User, UserUnreserved)).Append('@');
        }

        builder.Append(uri.Host.ToLowerInvariant());
        if (uri.Port is int port)
        {
            builder.Append(':').Append(port.ToString(CultureInfo.InvariantCulture));
        }

        if (uri.Transport is string transport)
        {
            builder.Append(";transport=").Append(Escape(transport, ParamUnreserved));
        }

        return builder.ToString();
    }

    /// <summary>name[=value] pairs joined by ';', escaped so that ';' and '=' inside survive; null when empty.</summary>
    public static string? FormatParameters(SipParameters parameters)
    {
        if (parameters.Count == 0)
        {
            return null;
        }

        var builder = new StringBuilder();
        foreach (var (name, value) in parameters)
        {
            if (builder.Length > 0)
            {
                builder.Append(';');
            }

            builder.Append(Escape(name, ParamUnreserved));
            if (value is not null)
            {
                builder.Append('=').Append(Escape(value, ParamUnreserved));
            }
        }

        return builder.ToString();
    }

    public static SipParameters ParseParameters(string? text)
    {
        var parameters = new SipParameters();
        if (string.IsNullOrEmpty(text))
        {
            return parameters;
        }

        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            parameters.Add(equals < 0
                ? new(Uri.UnescapeDataString(part), null)
                : new(Uri.UnescapeDataString(part[..equals]), Uri.UnescapeDataString(part[(equals + 1)..])));
        }

        return parameters;
    }

    private static string Escape(string text, string alsoAllowed)
    {
        var builder = new StringBuilder(text.Length);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.IsAscii && (char.IsAsciiLetterOrDigit((char)rune.Value) || Mark.Contains((char)rune.Value, StringComparison.Ordinal) || alsoAllowed.Contains((char)rune.Value, StringComparison.Ordinal)))
            {
                builder.Append((char)rune.Value);
                continue;
            }

            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length])
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
