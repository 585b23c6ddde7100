using System.Net;
using CallCenter.FaxSms.Fax;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// The host's side of <see cref="IFaxLine"/>: turns a destination the fax room accepted
/// (<see cref="FaxDestination"/>) into a call placed through <see cref="SipEndpoint"/>. The platform's
/// own fax number is called at the platform's own SIP address (a fax to itself); a telephone number
/// goes through the trunks (<see cref="FaxTrunk"/>; the first, then the next when one is down, as a voice
/// call, <see cref="SipEndpoint.SendFaxThroughTrunksAsync"/>), a SIP URI only to a host on <c>Fax:SipHosts</c> (or the
/// platform's own fax number at its own address), checked again here because the configuration may
/// have changed since the fax was queued: a number that cannot be dialled any more is refused before any
/// INVITE, and the attempt says so (<see cref="FaxAttempt.Refused"/>: not tried again). In the clients' quiet
/// hours a telephone number is not dialled: the fax waits for the calling hours (<see cref="FaxTrunk.RouteNow"/>).
/// </summary>
internal sealed class FaxLine(SipEndpoint endpoint, SipTransport transport, FaxOptions options, FaxTrunk trunk) : IFaxLine
{
    public Task<FaxAttempt> SendAsync(string faxId, string to, string tiffPath, int startPage, CancellationToken cancellationToken)
    {
        if (FaxDestination.Check(to, options.Number, options.ToSipHosts(), trunk) is { } bad)
        {
            return Task.FromResult(new FaxAttempt(0, null, bad, Refused: true));
        }

        if (FaxDestination.IsOwnNumber(to, options.Number))
        {
            var self = transport.LocalFor(SipTransportProtocol.Udp);
            var own = new SipUri { Scheme = "sip", User = to, Host = CallSignalling.UriHost(self.EndPoint.Address), Port = self.EndPoint.Port };
            return endpoint.SendFaxAsync(faxId, own, self, tiffPath, startPage, cancellationToken);
        }

        if (FaxDestination.IsTelephoneNumber(to))
        {
            var (through, number, notNow) = trunk.RouteNow(to, faxId);
            return through is null || number is null
                ? Task.FromResult(notNow ?? new FaxAttempt(0, null, "the number cannot be dialled", Refused: true))
                : endpoint.SendFaxThroughTrunksAsync(faxId, through, number, tiffPath, startPage, cancellationToken);
        }

        var (user, host, port) = FaxDestination.Split(to);
        var address = FaxSipHosts.Normal(IPAddress.Parse(host.Trim('[', ']')));
        var destination = new SipRemote(SipTransportProtocol.Udp, new IPEndPoint(address, port ?? 5060));
        var target = new SipUri { Scheme = "sip", User = user, Host = CallSignalling.UriHost(address), Port = port };
        return endpoint.SendFaxAsync(faxId, target, destination, tiffPath, startPage, cancellationToken);
    }
}
