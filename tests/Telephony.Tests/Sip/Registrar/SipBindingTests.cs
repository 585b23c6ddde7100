using System.Net;
using CallCenter.Telephony.Sip.Registrar;
using CallCenter.Telephony.Transport;

namespace CallCenter.Telephony.Tests.Sip.Registrar;

public sealed class SipBindingTests
{
    private static SipBinding Binding(string host, int? port, string source, string? transport = null) => new()
    {
        Aor = "1001",
        ContactKey = "k",
        ContactScheme = "sip",
        ContactUser = "1001",
        ContactHost = host,
        ContactPort = port,
        ContactTransport = transport,
        SourceTransport = source,
        SourceAddress = "198.51.100.4",
        SourcePort = 40000,
        CallId = "c",
        CSeq = 1,
        ExpiresAt = DateTimeOffset.UnixEpoch,
    };

    [Test]
    public void OverUdpACallGoesToTheContactsAddressWhenItIsAnIpLiteral()
    {
        Assert.That(Binding("192.0.2.10", 5062, "UDP").ToCallTarget(), Is.EqualTo(new SipRemote(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Parse("192.0.2.10"), 5062))));
        Assert.That(Binding("192.0.2.10", null, "UDP").ToCallTarget().EndPoint.Port, Is.EqualTo(5060));
    }

    [Test]
    public void ANameInTheContactOrATcpRegistrationUsesWhereTheRegisterCameFrom()
    {
        var source = new SipRemote(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Parse("198.51.100.4"), 40000));

        Assert.That(Binding("phone.example", 5062, "UDP").ToCallTarget(), Is.EqualTo(source));
        Assert.That(Binding("192.0.2.10", 5062, "TCP", "tcp").ToCallTarget(), Is.EqualTo(source with { Protocol = SipTransportProtocol.Tcp }));
    }

    [Test]
    public void ABrowsersWebSocketBindingIsReachedOnlyOnItsOwnConnection()
    {
        // RFC 7118 5: the Contact host ends in .invalid; "this connection" is the only way back.
        var target = Binding("df7jal23ls0d.invalid", null, "WS", "ws").ToCallTarget();

        Assert.That(target, Is.EqualTo(new SipRemote(SipTransportProtocol.Ws, new IPEndPoint(IPAddress.Parse("198.51.100.4"), 40000))));
        Assert.That(target.IsReliable, Is.True);
        Assert.That(target.ViaTransport, Is.EqualTo("WS"));
    }
}
