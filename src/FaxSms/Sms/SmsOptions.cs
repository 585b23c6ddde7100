using System.Net;

namespace CallCenter.FaxSms.Sms;

/// <summary>The <c>Sms</c> section (design.md section 4): which gateway sends SMS, and how it reaches us back.</summary>
public sealed class SmsOptions
{
    public const string Section = "Sms";

    /// <summary><c>kannel</c>, <c>twilio</c>, or empty: SMS are queued and wait until a gateway is configured.</summary>
    public string Provider { get; set; } = "";

    /// <summary>The sender number or short code the gateway puts in From (the hotline's).</summary>
    public string From { get; set; } = "95500";

    public KannelOptions Kannel { get; set; } = new();

    public TwilioOptions Twilio { get; set; } = new();

    public IEnumerable<string> Validate()
    {
        if (Provider is not ("" or "kannel" or "twilio"))
        {
            yield return $"Sms:Provider must be \"kannel\" or \"twilio\" (or empty for none), not \"{Provider}\".";
        }

        if (Provider == "twilio")
        {
            foreach (var error in Twilio.Validate())
            {
                yield return error;
            }
        }

        if (Provider == "kannel")
        {
            foreach (var error in Kannel.Validate())
            {
                yield return error;
            }
        }
    }
}

/// <summary>The <c>Sms:Kannel</c> section: smsbox's sendsms interface and the two URLs smsbox calls on us.</summary>
public sealed class KannelOptions
{
    /// <summary>smsbox's sendsms, e.g. http://127.0.0.1:13013/cgi-bin/sendsms.</summary>
    public string SendUrl { get; set; } = "";

    /// <summary>A sendsms-user of smsbox. Never logged.</summary>
    public string Username { get; set; } = "";

    /// <summary>Never logged.</summary>
    public string Password { get; set; } = "";

    /// <summary>Where smsbox reaches this platform for delivery reports (dlr-url), e.g. http://127.0.0.1:8080.</summary>
    public string CallbackBaseUrl { get; set; } = "";

    /// <summary>
    /// The secret smsbox's get-url carries (…/sms/kannel/inbound?secret=…) and that signs each
    /// message's dlr-url, so nobody on the network can forge an inbound SMS or a delivery report. Never logged.
    /// </summary>
    public string CallbackSecret { get; set; } = "";

    /// <summary>Addresses (or CIDRs) smsbox calls from; anything else gets 403 on the Kannel endpoints.</summary>
    public List<string> GatewayAddresses { get; set; } = ["127.0.0.0/8", "::1"];

    /// <summary>Kannel's dlr-mask: 1 delivered, 2 failed, 4 buffered, 8 taken by the SMSC, 16 refused by the SMSC.</summary>
    public int DlrMask { get; set; } = 1 | 2 | 8 | 16;

    public double TimeoutSeconds { get; set; } = 10;

    public IReadOnlyList<IPNetwork> GatewayNetworks() => [.. GatewayAddresses.Select(ParseNetwork)];

    private static IPNetwork ParseNetwork(string value) =>
        value.Contains('/', StringComparison.Ordinal) ? IPNetwork.Parse(value) : new IPNetwork(IPAddress.Parse(value), IPAddress.Parse(value).AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);

    public IEnumerable<string> Validate()
    {
        if (!Uri.TryCreate(SendUrl, UriKind.Absolute, out var send) || send.Scheme is not ("http" or "https"))
        {
            yield return "Sms:Kannel:SendUrl must be smsbox's http(s) sendsms URL (http://host:13013/cgi-bin/sendsms).";
        }

        if (string.IsNullOrEmpty(Username) || string.IsNullOrEmpty(Password))
        {
            yield return "Sms:Kannel:Username and Sms:Kannel:Password must be set (a sendsms-user of smsbox).";
        }

        if (!Uri.TryCreate(CallbackBaseUrl, UriKind.Absolute, out var callback) || callback.Scheme is not ("http" or "https"))
        {
            yield return "Sms:Kannel:CallbackBaseUrl must be the http(s) URL smsbox reaches this platform at.";
        }

        if (CallbackSecret.Length < 16)
        {
            yield return "Sms:Kannel:CallbackSecret must be at least 16 characters (it guards the inbound and delivery-report URLs).";
        }

        foreach (var address in GatewayAddresses)
        {
            if (!IPNetwork.TryParse(address, out _) && !IPAddress.TryParse(address, out _))
            {
                yield return $"Sms:Kannel:GatewayAddresses: \"{address}\" is not an address or CIDR.";
            }
        }

        if (DlrMask is < 0 or > 31)
        {
            yield return "Sms:Kannel:DlrMask must be 0-31.";
        }

        if (TimeoutSeconds is <= 0 or > 120)
        {
            yield return "Sms:Kannel:TimeoutSeconds must be above 0 and at most 120.";
        }
    }
}

/// <summary>
/// The <c>Sms:Twilio</c> section: Twilio's Messages API (through the Twilio SDK) and the two URLs
/// Twilio calls on us, the status callback of each message and the inbound webhook of the number.
/// </summary>
public sealed class TwilioOptions
{
    /// <summary>The account (AC…); the SDK authenticates as it.</summary>
    public string AccountSid { get; set; } = "";

    /// <summary>Signs requests to Twilio and Twilio's callbacks to us (<c>X-Twilio-Signature</c>). Never logged.</summary>
    public string AuthToken { get; set; } = "";

    /// <summary>The Twilio number (E.164) or messaging service sender the SMS come from.</summary>
    public string From { get; set; } = "";

    /// <summary>Where Twilio's API is: empty for Twilio itself (https://api.twilio.com); a loopback server in tests.</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>
    /// The public http(s) URL Twilio reaches this platform at, exactly as Twilio sees it (the
    /// signature covers it). Empty: no status callbacks, so "sent" (Twilio took the message) is final.
    /// </summary>
    public string CallbackBaseUrl { get; set; } = "";

    public double TimeoutSeconds { get; set; } = 10;

    public IEnumerable<string> Validate()
    {
        if (!AccountSid.StartsWith("AC", StringComparison.Ordinal) || AccountSid.Length != 34)
        {
            yield return "Sms:Twilio:AccountSid must be the account's SID (AC followed by 32 hexadecimal digits).";
        }

        if (string.IsNullOrEmpty(AuthToken))
        {
            yield return "Sms:Twilio:AuthToken must be set (the account's auth token).";
        }

        if (string.IsNullOrEmpty(From))
        {
            yield return "Sms:Twilio:From must be the Twilio number (E.164) the SMS are sent from.";
        }

        if (BaseUrl.Length > 0 && (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https")))
        {
            yield return "Sms:Twilio:BaseUrl must be empty (Twilio itself) or an http(s) URL.";
        }

        if (CallbackBaseUrl.Length > 0 && (!Uri.TryCreate(CallbackBaseUrl, UriKind.Absolute, out var callback) || callback.Scheme is not ("http" or "https")))
        {
            yield return "Sms:Twilio:CallbackBaseUrl must be empty (no status callbacks) or the http(s) URL Twilio reaches this platform at.";
        }

        if (TimeoutSeconds is <= 0 or > 120)
        {
            yield return "Sms:Twilio:TimeoutSeconds must be above 0 and at most 120.";
        }
    }
}
