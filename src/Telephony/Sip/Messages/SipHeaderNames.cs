namespace CallCenter.Telephony.Sip.Messages;

/// <summary>Header names this stack knows, and the compact forms of RFC 3261 7.3.3 and later RFCs.</summary>
public static class SipHeaderNames
{
    public const string Via = "Via";
    public const string From = "From";
    public const string To = "To";
    public const string CallId = "Call-ID";
    public const string CSeq = "CSeq";
    public const string MaxForwards = "Max-Forwards";
    public const string Contact = "Contact";
    public const string ContentLength = "Content-Length";
    public const string ContentType = "Content-Type";
    public const string Expires = "Expires";
    public const string Route = "Route";
    public const string RecordRoute = "Record-Route";
    public const string Path = "Path";
    public const string Require = "Require";
    public const string ProxyRequire = "Proxy-Require";
    public const string Supported = "Supported";
    public const string Unsupported = "Unsupported";
    public const string Allow = "Allow";
    public const string Accept = "Accept";
    public const string UserAgent = "User-Agent";
    public const string Server = "Server";
    public const string MinExpires = "Min-Expires";
    public const string WwwAuthenticate = "WWW-Authenticate";
    public const string Authorization = "Authorization";
    public const string ProxyAuthenticate = "Proxy-Authenticate";
    public const string ProxyAuthorization = "Proxy-Authorization";
    public const string PAssertedIdentity = "P-Asserted-Identity";
    public const string RetryAfter = "Retry-After";
    public const string ContentEncoding = "Content-Encoding";
    public const string Date = "Date";

    /// <summary>The long form of a compact header name; any other name is returned as given.</summary>
    public static string LongForm(string name)
    {
        if (name.Length != 1)
        {
            return name;
        }

        return char.ToLowerInvariant(name[0]) switch
        {
            'v' => Via,
            'f' => From,
            't' => To,
            'i' => CallId,
            'm' => Contact,
            'l' => ContentLength,
            'c' => ContentType,
            'e' => ContentEncoding,
            'k' => Supported,
            's' => "Subject",
            'o' => "Event",
            'r' => "Refer-To",
            'b' => "Referred-By",
            'u' => "Allow-Events",
            'x' => "Session-Expires",
            'a' => "Accept-Contact",
            'j' => "Reject-Contact",
            'd' => "Request-Disposition",
            'y' => "Identity",
            'n' => "Identity-Info",
            _ => name,
        };
    }
}
