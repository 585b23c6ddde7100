using System.Net;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Transport;

namespace CallCenter.Telephony.Tests.Transport;

public sealed class SipResponseRoutingTests
{
    private static readonly SipRemote _udpSource = new(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Parse("203.0.113.9"), 40123));

    private static SipRequest Request(SipVia via) => new()
    {
        Method = SipMethods.Options,
        RequestUri = new SipUri { Scheme = "sip", Host = "example.com" },
        Vias = { via },
    };

    [Test]
    public void SentByHostDifferentFromSourceGetsReceivedAndResponseGoesThereAtTheViaPort()
    {
        var via = new SipVia { Transport = "UDP", Host = "pc33.example.com", Port = 5070 };

        SipResponseRouting.StampReceived(Request(via), _udpSource);

        Assert.That(via.Received, Is.EqualTo("203.0.113.9"));
        Assert.That(via.HasRPort, Is.False);
        Assert.That(SipResponseRouting.Destination(via, _udpSource)!.Value.EndPoint, Is.EqualTo(new IPEndPoint(IPAddress.Parse("203.0.113.9"), 5070)));
    }

    [Test]
    public void SentByMatchingTheSourceIsLeftAloneAndDefaultsTo5060()
    {
        var via = new SipVia { Transport = "UDP", Host = "203.0.113.9" };

        SipResponseRouting.StampReceived(Request(via), _udpSource);

        Assert.That(via.Received, Is.Null);
        Assert.That(SipResponseRouting.Destination(via, _udpSource)!.Value.EndPoint.Port, Is.EqualTo(5060));
    }

    [Test]
    public void EmptyRportIsFilledWithTheSourcePortAndReceivedIsAlwaysAdded()
    {
        // RFC 3581 4: a client behind NAT asks with ;rport and gets the answer at its mapped port.
        var via = new SipVia { Transport = "UDP", Host = "203.0.113.9", Port = 5060, Parameters = { new("rport", null) } };

        SipResponseRouting.StampReceived(Request(via), _udpSource);

        Assert.That(via.RPort, Is.EqualTo(40123));
        Assert.That(via.Received, Is.EqualTo("203.0.113.9"));
        Assert.That(SipResponseRouting.Destination(via, _udpSource), Is.EqualTo(_udpSource));
    }

    [Test]
    public void ReliableTransportAnswersOnTheSameConnection()
    {
        var tcp = new SipRemote(SipTransportProtocol.Tcp, new IPEndPoint(IPAddress.Loopback, 50000));
        var via = new SipVia { Transport = "TCP", Host = "elsewhere.example.com", Port = 5090 };

        Assert.That(SipResponseRouting.Destination(via, tcp), Is.EqualTo(tcp));
    }
}
