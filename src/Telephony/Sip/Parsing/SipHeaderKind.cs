using System.Text;
using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Sip.Parsing;

/// <summary>The headers with a typed property on <see cref="SipMessage"/>, plus Date (validated) and Other.</summary>
internal enum SipHeaderKind
{
    Other,
    Via,
    From,
    To,
    CallId,
    CSeq,
    MaxForwards,
    Contact,
    ContentLength,
    ContentType,
    Expires,
    Route,
    RecordRoute,
    Path,
    Date,
}

/// <summary>Maps a header name as received (bytes, any case, compact or long form) to its kind and long-form name.</summary>
internal static class SipHeaderKinds
{
    // Frequent extension headers get their canonical name without allocating.
    private static readonly string[] _knownOthers =
    [
        SipHeaderNames.Require, SipHeaderNames.ProxyRequire, SipHeaderNames.Supported, SipHeaderNames.Unsupported,
        SipHeaderNames.Allow, SipHeaderNames.Accept, SipHeaderNames.UserAgent, SipHeaderNames.Server,
        SipHeaderNames.MinExpires, SipHeaderNames.WwwAuthenticate, SipHeaderNames.Authorization,
        SipHeaderNames.ProxyAuthenticate, SipHeaderNames.ProxyAuthorization, SipHeaderNames.PAssertedIdentity,
        SipHeaderNames.RetryAfter, SipHeaderNames.ContentEncoding, "Subject", "Event", "Allow-Events",
        "Accept-Encoding", "Accept-Language", "Organization", "Priority", "Session-Expires", "Min-SE",
        "Refer-To", "Referred-By", "Replaces", "RSeq", "RAck", "Timestamp", "Warning", "Identity",
    ];

    public static SipHeaderKind Classify(ReadOnlySpan<byte> name)
    {
        if (name.Length == 1)
        {
            return (name[0] | 0x20) switch
            {
                'v' => SipHeaderKind.Via,
                'f' => SipHeaderKind.From,
                't' => SipHeaderKind.To,
                'i' => SipHeaderKind.CallId,
                'm' => SipHeaderKind.Contact,
                'l' => SipHeaderKind.ContentLength,
                'c' => SipHeaderKind.ContentType,
                _ => SipHeaderKind.Other,
            };
        }

        return name.Length switch
        {
            2 when Ascii.EqualsIgnoreCase(name, "To"u8) => SipHeaderKind.To,
            3 when Ascii.EqualsIgnoreCase(name, "Via"u8) => SipHeaderKind.Via,
            4 when Ascii.EqualsIgnoreCase(name, "From"u8) => SipHeaderKind.From,
            4 when Ascii.EqualsIgnoreCase(name, "CSeq"u8) => SipHeaderKind.CSeq,
            4 when Ascii.EqualsIgnoreCase(name, "Date"u8) => SipHeaderKind.Date,
            4 when Ascii.EqualsIgnoreCase(name, "Path"u8) => SipHeaderKind.Path,
            5 when Ascii.EqualsIgnoreCase(name, "Route"u8) => SipHeaderKind.Route,
            7 when Ascii.EqualsIgnoreCase(name, "Call-ID"u8) => SipHeaderKind.CallId,
            7 when Ascii.EqualsIgnoreCase(name, "Contact"u8) => SipHeaderKind.Contact,
            7 when Ascii.EqualsIgnoreCase(name, "Expires"u8) => SipHeaderKind.Expires,
            12 when Ascii.EqualsIgnoreCase(name, "Max-Forwards"u8) => SipHeaderKind.MaxForwards,
            12 when Ascii.EqualsIgnoreCase(name, "Content-Type"u8) => SipHeaderKind.ContentType,
            12 when Ascii.EqualsIgnoreCase(name, "Record-Route"u8) => SipHeaderKind.RecordRoute,
            14 when Ascii.EqualsIgnoreCase(name, "Content-Length"u8) => SipHeaderKind.ContentLength,
            _ => SipHeaderKind.Other,
        };
    }

    /// <summary>The long-form name to store an untyped header under.</summary>
    public static string NameOf(ReadOnlySpan<byte> name, SipHeaderKind kind)
    {
        if (kind == SipHeaderKind.Date)
        {
            return SipHeaderNames.Date;
        }

        foreach (var known in _knownOthers)
        {
            if (known.Length == name.Length && Ascii.EqualsIgnoreCase(name, known))
            {
                return known;
            }
        }

        var text = Encoding.ASCII.GetString(name);
        return name.Length == 1 ? SipHeaderNames.LongForm(text) : text;
    }
}
