using System.Net;
using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Transport;

/// <summary>Where requests' Vias are stamped and responses go: RFC 3261 18.2.1 and 18.2.2 with RFC 3581.</summary>
public static class SipResponseRouting
{
    private const int DefaultSipPort = 5060;

    /// <summary>
    /// RFC 3261 18.2.1: add received= when the sent-by host is not the packet's source address;
    /// RFC 3581 4: when the client asked with an empty ;rport, fill in the source port and always add received=.
    /// </summary>
    public static void StampReceived(SipRequest request, SipRemote source)
    {
        ArgumentNullException.ThrowIfNull(request);
        var via = request.TopVia;
        if (via is null)
        {
            return;
        }

        var sourceAddress = source.EndPoint.Address.ToString();
        if (via.HasRPort)
        {
            via.RPort = source.EndPoint.Port;
            via.Received = sourceAddress;
        }
        else if (!IPAddress.TryParse(via.Host.Trim('[', ']'), out var sent) || !sent.Equals(source.EndPoint.Address))
        {
            via.Received = sourceAddress;
        }
    }

    /// <summary>
    /// RFC 3261 18.2.2: on a reliable transport, back on the connection the request came on;
    /// otherwise to received (or the sent-by host) at the rport (or the sent-by port, or 5060).
    /// Null when the Via names a host that is not an address and carries no received=, which
    /// <see cref="StampReceived"/> never leaves.
    /// </summary>
    public static SipRemote? Destination(SipVia topVia, SipRemote requestSource)
    {
        ArgumentNullException.ThrowIfNull(topVia);
        if (requestSource.IsReliable)
        {
            return requestSource;
        }

        var host = topVia.Received ?? topVia.Host;
        if (!IPAddress.TryParse(host.Trim('[', ']'), out var address))
        {
            return null;
        }

        var port = topVia.RPort ?? topVia.Port ?? DefaultSipPort;
        return new SipRemote(requestSource.Protocol, new IPEndPoint(address, port));
    }
}
