using System.Net;
using CallCenter.FaxSms.Fax;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// The host's side of <see cref="IFaxLine"/>: turns a destination the fax room accepted
/// (<see cref="FaxDestination"/>) into a SIP target and places the call through <see cref="SipEndpoint"/>.
/// The platform's own fax number is called at the platform's own SIP address (a fax to itself).
/// </summary>
internal sealed class FaxLine(SipEndpoint endpoint, SipTransport transport, FaxOptions options) : IFaxLine
{
    public Task<FaxAttempt> SendAsync(string faxId, string to, string tiffPath, int startPage, CancellationToken cancellationToken)
    {
        if (FaxDestination.Check(to, options.Number) is { } bad)
        {
            return Task.FromResult(new FaxAttempt(0, null, bad));
        }

        SipUri target;
        SipRemote destination;
        if (to == options.Number)
        {
            destination = transport.LocalFor(SipTransportProtocol.Udp);
            target = new SipUri { Scheme = "sip", User = to, Host = CallSignalling.UriHost(destination.EndPoint.Address), Port = destination.EndPoint.Port };
        }
        else
        {
            var (user, host, port) = FaxDestination.Split(to);
            var address = IPAddress.Parse(host.Trim('[', ']'));
            destination = new SipRemote(SipTransportProtocol.Udp, new IPEndPoint(address, port ?? 5060));
            target = new SipUri { Scheme = "sip", User = user, Host = CallSignalling.UriHost(address), Port = port };
        }

        return endpoint.SendFaxAsync(faxId, target, destination, tiffPath, startPage, cancellationToken);
    }
}
