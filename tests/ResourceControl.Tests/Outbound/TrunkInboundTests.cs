using System.Net;
using CallCenter.ResourceControl.Outbound;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Tests.Outbound;

/// <summary>The number a call from a registered trunk dialled: its DID, only when it comes from that trunk; a trunk's settings for it.</summary>
public sealed class TrunkInboundTests
{
    private static readonly Trunk _registered = new("carrier", new SipRemote(SipTransportProtocol.Udp, IPEndPoint.Parse("10.0.0.5:5060")), "cc-acct", "secret", "95500") { Register = true };

    private static SipRequest Invite(string requestUser, string toUser) => new()
    {
        Method = SipMethods.Invite,
        RequestUri = new() { Scheme = "sip", User = requestUser, Host = "10.0.0.1", Port = 5060 },
        To = new SipNameAddress { Uri = new() { Scheme = "sip", User = toUser, Host = "carrier.example" } },
    };

    private static SipRemote Udp(string address) => new(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Parse(address), 5060));

    [Test]
    public void ARegisteredTrunksCallToTheAccountNameIsForTheNumberInToOrTheConfiguredOne()
    {
        var from = Udp("10.0.0.5");
        var mapped = new SipRemote(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Parse("10.0.0.5").MapToIPv6(), 5060));
        Assert.Multiple(() =>
        {
            Assert.That(TrunkInbound.Dialed([_registered], Invite("cc-acct", "95501"), from), Is.EqualTo("95501"));
            Assert.That(TrunkInbound.Dialed([_registered], Invite("cc-acct", "95501"), mapped), Is.EqualTo("95501"));
            Assert.That(TrunkInbound.Dialed([_registered with { InboundNumber = "95500" }], Invite("cc-acct", "02195500"), from), Is.EqualTo("95500"));
            Assert.That(TrunkInbound.Dialed([_registered], Invite("95500", "anything"), from), Is.EqualTo("95500"), "a Request-URI that names a number is that number");
            Assert.That(TrunkInbound.Dialed([_registered], Invite("cc-acct", "not-digits"), from), Is.EqualTo("cc-acct"), "no DID: no line (404)");
        });
    }

    [Test]
    public void OnlyTheRegisteredTrunkItselfIsReadSo()
    {
        Assert.Multiple(() =>
        {
            Assert.That(TrunkInbound.Dialed([_registered], Invite("cc-acct", "95501"), Udp("10.0.0.66")), Is.EqualTo("cc-acct"), "someone else on the LAN");
            Assert.That(TrunkInbound.Dialed([_registered with { Register = false }], Invite("cc-acct", "95501"), Udp("10.0.0.5")), Is.EqualTo("cc-acct"), "a trunk we do not register to");
            Assert.That(
                TrunkInbound.Dialed([_registered with { Remote = new SipRemote(SipTransportProtocol.Tls, IPEndPoint.Parse("10.0.0.5:5061")) }], Invite("cc-acct", "95501"), Udp("10.0.0.5")),
                Is.EqualTo("cc-acct"),
                "a UDP datagram with a TLS trunk's address: anyone can forge that");
        });
    }

    [TestCase("FailoverAfterSeconds", "33")]
    [TestCase("FailoverAfterSeconds", "-1")]
    [TestCase("InboundNumber", "95x00")]
    public void ABadInboundOrFailoverSettingNamesItsKey(string key, string value)
    {
        var options = new TrunkOptions { Name = "carrier", Address = "10.0.0.5:5060", CallerId = "95500", Register = true, Username = "cc", Password = "p" };
        typeof(TrunkOptions).GetProperty(key)!.SetValue(options, key == "InboundNumber" ? value : int.Parse(value, System.Globalization.CultureInfo.InvariantCulture));

        var (trunk, errors) = TrunkOptions.Check(options, 1);

        Assert.That(trunk, Is.Null);
        Assert.That(errors, Has.Some.StartsWith($"Trunks:1:{key}"));
    }
}
