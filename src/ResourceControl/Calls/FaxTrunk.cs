using CallCenter.FaxSms.Fax;
using CallCenter.ResourceControl.Outbound;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// The fax room's view of the outbound trunks (<see cref="IFaxNumbers"/>): a telephone number is faxed
/// through the trunk outbound calls use first (<see cref="Trunks.First"/>; the next ones when it is down,
/// <see cref="SipEndpoint.SendFaxThroughTrunksAsync"/>), with the same dial plan as
/// transfers and callbacks (<see cref="DialPlan"/>), or refused with the reason when no trunk is
/// configured, the plan refuses the number or it is on the do-not-call list; when it is dialled, in the
/// clients' quiet hours it waits for the morning (<see cref="RouteNow"/>); a SIP URI may not name a
/// trunk's address, which would reach the carrier past the dial plan; and the platform's own SIP address
/// (<see cref="IsPlatform"/>, from <paramref name="transport"/>: none without one) is where a SIP URI to its own fax number goes. It reads only the trunks' public surface, so the trunks
/// may change beneath it (failover, registration) without the fax code changing.
/// </summary>
internal sealed class FaxTrunk(Trunks trunks, DialingOptions dialing, OutboundRules rules, Telephony.Transport.SipTransport? transport = null) : IFaxNumbers
{
    public string? Refusal(string number) => Route(number).Refusal;

    /// <summary>The first trunk and the number as it dials it, or the reason it cannot be dialled.</summary>
    public (Trunk? Trunk, DialableNumber? Number, string? Refusal) Route(string number)
    {
        if (trunks.First is not { } trunk)
        {
            return (null, null, "no trunk is configured (Trunks:0:Address), so the platform cannot dial a telephone number");
        }

        var (dialable, refusal) = DialPlan.Normalize(number, dialing);
        if (dialable is null)
        {
            return (null, null, refusal!.Reason);
        }

        return rules.DoNotCallReason(dialable.E164) is { } reason
            ? (null, null, $"{dialable.E164} is on the do-not-call list ({reason})")
            : (trunk, dialable, null);
    }

    /// <summary>
    /// <see cref="Route"/> when the fax is about to be dialled: the clients' quiet hours apply to a fax as to
    /// any call the platform places (<see cref="OutboundRules.Check"/>, never a risk notice), and a fax that may
    /// not go now waits for the allowed time (<see cref="FaxAttempt.HeldUntil"/>, the reason in its row), not refused.
    /// </summary>
    public (Trunk? Trunk, DialableNumber? Number, FaxAttempt? NotNow) RouteNow(string number, string faxId)
    {
        var (trunk, dialable, refusal) = Route(number);
        if (trunk is null || dialable is null)
        {
            return (null, null, new FaxAttempt(0, null, refusal ?? "the number cannot be dialled", Refused: true));
        }

        var decision = rules.Check(dialable, riskNotice: false, "fax", faxId);
        return decision.Block switch
        {
            OutboundBlock.None => (trunk, dialable, null),
            OutboundBlock.QuietHours => (null, null, new FaxAttempt(0, null, decision.Reason!, Refused: true, HeldUntil: decision.NextAllowed)),
            _ => (null, null, new FaxAttempt(0, null, decision.Reason!, Refused: true)),
        };
    }

    public string? HostRefusal(System.Net.IPAddress host) =>
        trunks.All.Any(t => t.Remote.EndPoint.Address.Equals(host))
            ? "that is a trunk's address: fax a telephone number instead, so the dial plan and the do-not-call list apply"
            : null;

    public bool IsPlatform(System.Net.IPAddress host, int port)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (transport is null)
        {
            return false;
        }

        var own = transport.LocalFor(Telephony.Transport.SipTransportProtocol.Udp).EndPoint;
        return port == own.Port && (System.Net.IPAddress.IsLoopback(host) || host.Equals(FaxSipHosts.Normal(own.Address)));
    }
}
