using System.Net;

namespace CallCenter.FaxSms.Sms;

/// <summary>The <c>Sms</c> section (design.md section 4): which gateway sends SMS, and how it reaches us back.</summary>
public sealed class SmsOptions
{
    public const string Section = "Sms";

    /// <summary><c>kannel</c> (or empty: SMS are queued and wait until a gateway is configured). Twilio comes later.</summary>
    public string Provider { get; set; } = "";

    /// <summary>The sender number or short code the gateway puts in From (the hotline's).</summary>
    public string From { get; set; } = "95500";

    public KannelOptions Kannel { get; set; } = new();

    public IEnumerable<string> Validate()
    {
        if (Provider is not ("" or "kannel"))
        {
            yield return $"Sms:Provider must be \"kannel\" (or empty for none), not \"{Provider}\" (twilio is not built yet).";
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
