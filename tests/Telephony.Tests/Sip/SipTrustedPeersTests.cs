using System.Net;
using CallCenter.Telephony.Sip;
using CallCenter.Telephony.Transport;

namespace CallCenter.Telephony.Tests.Sip;

/// <summary>Whose caller id is believed: addresses and networks from Sip:TrustedPeers.</summary>
public sealed class SipTrustedPeersTests
{
    [Test]
    public void TheShippedEntriesTrustLoopbackOnly()
    {
        var peers = new SipTrustedPeers(new SipOptions { TrustedPeers = ["127.0.0.0/8", "::1"] });

        Assert.Multiple(() =>
        {
            Assert.That(peers.IsTrusted(IPAddress.Loopback), Is.True);
            Assert.That(peers.IsTrusted(IPAddress.Parse("127.0.0.2")), Is.True);
            Assert.That(peers.IsTrusted(IPAddress.IPv6Loopback), Is.True);
            Assert.That(peers.IsTrusted(IPAddress.Parse("::ffff:127.0.0.1")), Is.True, "an IPv4 peer on a dual-stack socket");
            Assert.That(peers.IsTrusted(IPAddress.Parse("192.168.1.20")), Is.False);
            Assert.That(peers.IsTrusted(IPAddress.Parse("::ffff:192.168.1.20")), Is.False);
        });
    }

    [Test]
    public void AHostIsItselfOnlyAndANetworkIsAllOfIt()
    {
        var peers = new SipTrustedPeers(new SipOptions { TrustedPeers = ["10.0.0.5", "172.16.0.0/12, 2001:db8::/32"] });

        Assert.Multiple(() =>
        {
            Assert.That(peers.IsTrusted(IPAddress.Parse("10.0.0.5")), Is.True);
            Assert.That(peers.IsTrusted(IPAddress.Parse("10.0.0.6")), Is.False);
            Assert.That(peers.IsTrusted(IPAddress.Parse("172.31.255.1")), Is.True);
            Assert.That(peers.IsTrusted(IPAddress.Parse("172.32.0.1")), Is.False);
            Assert.That(peers.IsTrusted(IPAddress.Parse("2001:db8::1")), Is.True);
            Assert.That(peers.IsTrusted(IPAddress.Loopback), Is.False, "loopback is trusted only when listed");
        });
    }

    [Test]
    public void NoEntriesTrustNobody() =>
        Assert.That(new SipTrustedPeers(new SipOptions()).IsTrusted(IPAddress.Loopback), Is.False);

    [Test]
    public void AnEntryThatIsNotAnAddressIsRefusedNamingTheKey()
    {
        var problems = new SipOptions { TrustedPeers = ["10.0.0.5", "sbc.carrier.example", "10.0.0.0/33"] }.Validate().ToList();

        Assert.That(problems.Where(p => p.StartsWith("Sip:TrustedPeers", StringComparison.Ordinal)), Has.Exactly(2).Items);
        Assert.That(problems, Has.Some.Contains("sbc.carrier.example"));
    }

    [Test]
    public void ATrunkIsBelievedOnItsOwnTransportOnly()
    {
        // A TLS trunk at 10.0.0.5 and a UDP trunk at 10.0.0.7; nothing listed in Sip:TrustedPeers.
        var peers = new SipTrustedPeers(new SipOptions { TrustedPeers = [] })
            .With([(IPAddress.Parse("10.0.0.5"), SipTransportProtocol.Tls), (IPAddress.Parse("10.0.0.7"), SipTransportProtocol.Udp)]);
        SipRemote From(SipTransportProtocol protocol, string address) => new(protocol, new IPEndPoint(IPAddress.Parse(address), 5060));

        Assert.Multiple(() =>
        {
            Assert.That(peers.IsTrusted(From(SipTransportProtocol.Tls, "10.0.0.5")), Is.True, "the TLS trunk on its checked connection");
            Assert.That(peers.IsTrusted(From(SipTransportProtocol.Tls, "::ffff:10.0.0.5")), Is.True, "the same on a dual-stack socket");
            Assert.That(peers.IsTrusted(From(SipTransportProtocol.Udp, "10.0.0.5")), Is.False, "a datagram with the TLS trunk's address as its source: anyone can write that");
            Assert.That(peers.IsTrusted(From(SipTransportProtocol.Tcp, "10.0.0.5")), Is.False);
            Assert.That(peers.IsTrusted(From(SipTransportProtocol.Udp, "10.0.0.7")), Is.True, "a UDP trunk is believed over UDP, as configured");
            Assert.That(peers.IsTrusted(From(SipTransportProtocol.Tls, "10.0.0.7")), Is.False);
            Assert.That(peers.IsTrusted(From(SipTransportProtocol.Udp, "10.0.0.6")), Is.False);
        });
    }

    [Test]
    public void AListedPeerIsBelievedOnEveryTransport()
    {
        var peers = new SipTrustedPeers(new SipOptions { TrustedPeers = ["10.0.0.5"] })
            .With([(IPAddress.Parse("10.0.0.5"), SipTransportProtocol.Tls)]);

        Assert.That(peers.IsTrusted(new SipRemote(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Parse("10.0.0.5"), 5060))), Is.True, "the operator listed the address itself");
    }
}
