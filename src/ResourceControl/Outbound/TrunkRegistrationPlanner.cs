using System.Globalization;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Outbound;

/// <summary>
/// Registration to a trunk (RFC 3261 10.2), pure: the REGISTER for a trunk (its user at the trunk's
/// address, our Contact, the lifetime asked for, credentials when answering a challenge), the lifetime the
/// registrar granted, and when to refresh it.
/// </summary>
internal static class TrunkRegistrationPlanner
{
    /// <summary>After a failure (refused, no answer, wrong credentials), the next try.</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The shortest lifetime taken as a registration: a registrar granting less is treated as a failure and
    /// tried again after <see cref="RetryAfterFailure"/>, so a hostile or broken one cannot make the platform
    /// REGISTER every second.
    /// </summary>
    public const int MinimumGranted = 60;

    /// <summary>Whether a granted lifetime is long enough to keep (see <see cref="MinimumGranted"/>).</summary>
    public static bool Acceptable(int granted) => granted >= MinimumGranted;

    /// <summary>
    /// The REGISTER (RFC 3261 10.2): To and From the trunk's user at its address, one Call-ID for every
    /// refresh and a CSeq that grows (10.2.4), our <paramref name="contact"/> with <paramref name="expires"/>
    /// (0 removes it); <paramref name="credentials"/> answer a 401 (Authorization) or 407 (Proxy-Authorization).
    /// </summary>
    public static SipRequest Register(Trunk trunk, SipUri contact, string callId, string fromTag, uint cseq, int expires, (string Header, string Value)? credentials = null)
    {
        ArgumentNullException.ThrowIfNull(trunk);
        ArgumentNullException.ThrowIfNull(contact);
        var host = Host(trunk);
        var aor = new SipUri { Scheme = "sip", User = trunk.Username, Host = host };
        var request = new SipRequest
        {
            Method = SipMethods.Register,
            RequestUri = RegistrarUri(trunk),
            From = new SipNameAddress { Uri = aor },
            To = new SipNameAddress { Uri = aor.Clone() },
            CallId = callId,
            CSeq = new SipCSeq(cseq, SipMethods.Register),
            MaxForwards = SipMessageBuilder.DefaultMaxForwards,
        };
        request.From.Tag = fromTag;
        request.Contacts.Add(new SipNameAddress { Uri = contact });
        request.Headers.Add(SipHeaderNames.Expires, expires.ToString(CultureInfo.InvariantCulture));
        if (credentials is { } answer)
        {
            request.Headers.Add(answer.Header, answer.Value);
        }

        return request;
    }

    /// <summary>The registrar's URI (RFC 3261 10.2: the domain, no user part): the trunk's address, with its transport.</summary>
    public static SipUri RegistrarUri(Trunk trunk)
    {
        ArgumentNullException.ThrowIfNull(trunk);
        var uri = new SipUri { Scheme = "sip", Host = Host(trunk), Port = trunk.Remote.EndPoint.Port };
        if (trunk.Remote.Protocol != SipTransportProtocol.Udp)
        {
            uri.Parameters.Add(new("transport", trunk.Remote.ViaTransport.ToLowerInvariant()));
        }

        return uri;
    }

    /// <summary>
    /// The lifetime the 2xx grants (RFC 3261 10.2.4): our Contact's expires parameter in it, else its Expires
    /// header, else what we asked for; never longer than asked (a registrar may shorten a lifetime, not
    /// lengthen it), so a bad value cannot put the refresh out of reach.
    /// </summary>
    public static int Granted(SipResponse ok, SipUri contact, int asked) => Math.Min(asked, Offered(ok, contact, asked));

    private static int Offered(SipResponse ok, SipUri contact, int asked)
    {
        ArgumentNullException.ThrowIfNull(ok);
        ArgumentNullException.ThrowIfNull(contact);
        foreach (var bound in ok.Contacts)
        {
            if (string.Equals(bound.Uri.Host, contact.Host, StringComparison.OrdinalIgnoreCase) && bound.Uri.Port == contact.Port
                && int.TryParse(bound.Parameters.Get("expires"), NumberStyles.None, CultureInfo.InvariantCulture, out var own))
            {
                return own;
            }
        }

        // The parser keeps the Expires header in SipMessage.Expires, not among the other headers.
        return ok.Expires is { } header ? (int)Math.Min(header, int.MaxValue) : asked;
    }

    /// <summary>When to refresh a registration granted for <paramref name="granted"/> seconds: a minute before it runs out, or halfway for a short one.</summary>
    public static TimeSpan RefreshAfter(int granted) =>
        TimeSpan.FromSeconds(granted > 120 ? granted - 60 : Math.Max(1, granted / 2.0));

    private static string Host(Trunk trunk) =>
        trunk.Remote.EndPoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? "[" + trunk.Remote.EndPoint.Address + "]"
            : trunk.Remote.EndPoint.Address.ToString();
}
