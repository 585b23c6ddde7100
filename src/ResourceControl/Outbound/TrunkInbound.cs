using System.Net;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Outbound;

/// <summary>
/// The number an INVITE dialled, pure. A carrier the platform registered to (<c>Trunks:N:Register</c>) sends
/// its calls to the Contact the platform registered (RFC 3261 10.2.1), whose user part is the trunk's account
/// name, not the number the caller dialled; the number (the DID) is in the To header, or is the trunk's
/// <c>Trunks:N:InboundNumber</c> when one is configured. Only a request from that trunk's own address, on the trunk's
/// own transport, is read so (a UDP datagram with a TLS trunk's address is anyone's): anyone else's INVITE to the
/// account name stays a request for an unknown number.
/// </summary>
internal static class TrunkInbound
{
    public static string Dialed(IReadOnlyList<Trunk> trunks, SipRequest invite, SipRemote source)
    {
        ArgumentNullException.ThrowIfNull(trunks);
        ArgumentNullException.ThrowIfNull(invite);
        var user = invite.RequestUri.User ?? "";
        if (user.Length == 0)
        {
            return user;
        }

        var from = Plain(source.EndPoint.Address);
        foreach (var trunk in trunks)
        {
            if (!trunk.Register || trunk.Username != user || trunk.Remote.Protocol != source.Protocol || !Plain(trunk.Remote.EndPoint.Address).Equals(from))
            {
                continue;
            }

            if (trunk.InboundNumber.Length > 0)
            {
                return trunk.InboundNumber;
            }

            var to = invite.To?.Uri.User ?? "";
            return to.Length is > 0 and <= 32 && to.All(char.IsAsciiDigit) ? to : user;
        }

        return user;
    }

    private static IPAddress Plain(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
