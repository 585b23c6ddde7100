using System.Net;
using CallCenter.ResourceControl.Calls;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>The SIP a call's legs share: who calls, our Contact per transport, and what a display name may hold.</summary>
public sealed class CallSignallingTests
{
    private static SipRequest Invite(string? fromUser)
    {
        var invite = new SipRequest
        {
            Method = SipMethods.Invite,
            RequestUri = new SipUri { Scheme = "sip", User = "95500", Host = "192.0.2.1" },
            CallId = "sip-1",
            CSeq = new SipCSeq(1, SipMethods.Invite),
        };
        if (fromUser is not null)
        {
            invite.From = new SipNameAddress { Uri = new SipUri { Scheme = "sip", User = fromUser, Host = "192.0.2.9" }, Tag = "t" };
        }

        return invite;
    }

    [Test]
    public void TheCallerIsFromsUserWithoutAnAssertedIdentity() =>
        Assert.That(CallSignalling.CallerNumber(Invite("13800000001")), Is.EqualTo("13800000001"));

    [Test]
    public void AnAssertedIdentityWinsOverFrom()
    {
        var invite = Invite("anonymous");
        invite.Headers.Add(SipHeaderNames.PAssertedIdentity, "\"Li\" <sip:13800000002@192.0.2.9>, <tel:+8613800000002>");

        Assert.That(CallSignalling.CallerNumber(invite), Is.EqualTo("13800000002"));
    }

    [Test]
    public void AnAssertedIdentityWithoutAUserFallsBackToFrom()
    {
        var invite = Invite("13800000003");
        invite.Headers.Add(SipHeaderNames.PAssertedIdentity, "<sip:192.0.2.9>");

        Assert.That(CallSignalling.CallerNumber(invite), Is.EqualTo("13800000003"));
    }

    [Test]
    public void NoFromAndNoAssertedIdentityIsAnEmptyNumber() =>
        Assert.That(CallSignalling.CallerNumber(Invite(null)), Is.Empty);

    [TestCase("192.0.2.1", "192.0.2.1")]
    [TestCase("2001:db8::1", "[2001:db8::1]")]
    public void AnIpv6HostGoesInBrackets(string address, string host) =>
        Assert.That(CallSignalling.UriHost(IPAddress.Parse(address)), Is.EqualTo(host));

    [TestCase("sips", true)]
    [TestCase("SIPS", true)]
    [TestCase("sip", false)]
    public void SipsIsRecognisedWhateverItsCase(string scheme, bool sips) =>
        Assert.That(CallSignalling.IsSips(new SipUri { Scheme = scheme, Host = "example.com" }), Is.EqualTo(sips));

    [Test]
    public void ADisplayNameLosesQuotesAndBackslashes() =>
        Assert.That(CallSignalling.Unquoted("Li \"the\\boss\" diamond"), Is.EqualTo("Li theboss diamond"));

    [Test]
    public void AContactOverUdpNamesNoTransport()
    {
        var contact = CallSignalling.ContactUri(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 5060), SipTransportProtocol.Udp, "95500", sips: false);

        Assert.That(SipWriter.Write(contact), Is.EqualTo("sip:95500@192.0.2.1:5060"));
    }

    [TestCase(SipTransportProtocol.Tcp, false, "sip:95500@192.0.2.1:5070;transport=tcp")]
    [TestCase(SipTransportProtocol.Tls, false, "sip:95500@192.0.2.1:5070;transport=tls")]
    [TestCase(SipTransportProtocol.Tls, true, "sips:95500@192.0.2.1:5070")]
    [TestCase(SipTransportProtocol.Tcp, true, "sip:95500@192.0.2.1:5070;transport=tcp")]
    public void AContactOverAStreamNamesItsTransportUnlessItIsSips(SipTransportProtocol protocol, bool sips, string expected)
    {
        var contact = CallSignalling.ContactUri(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 5070), protocol, "95500", sips);

        Assert.That(SipWriter.Write(contact), Is.EqualTo(expected));
    }

    [Test]
    public void AnIpv6ContactHasItsHostInBrackets()
    {
        var contact = CallSignalling.ContactUri(new IPEndPoint(IPAddress.Parse("2001:db8::1"), 5060), SipTransportProtocol.Udp, "1001", sips: false);

        Assert.That(contact.Host, Is.EqualTo("[2001:db8::1]"));
    }
}
