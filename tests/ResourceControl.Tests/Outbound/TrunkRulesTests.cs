using System.Net;
using System.Text;
using CallCenter.ResourceControl.Outbound;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Parsing;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Tests.Outbound;

/// <summary>A trunk's settings checked, when a trunk is down rather than the number, and the registration's lifetime.</summary>
public sealed class TrunkRulesTests
{
    private static readonly Trunk _trunk = new("carrier", new SipRemote(SipTransportProtocol.Udp, IPEndPoint.Parse("10.0.0.5:5060")), "cc", "secret", "95500");

    private static SipResponse Final(int status, bool synthesized = false) =>
        new() { StatusCode = status, ReasonPhrase = SipMessageBuilder.ReasonPhrase(status), Synthesized = synthesized };

    [TestCase(503, false, true)]
    [TestCase(500, false, true)]
    [TestCase(504, false, true)]
    [TestCase(503, true, true)]
    [TestCase(408, true, true)]
    [TestCase(408, false, false)]
    [TestCase(486, false, false)]
    [TestCase(404, false, false)]
    [TestCase(603, false, false)]
    [TestCase(501, false, false)]
    public void AServerErrorOrNoAnswerAtAllIsTheTrunkDownAndTheClientsOwnAnswerIsNot(int status, bool synthesized, bool down) =>
        Assert.That(TrunkFailover.IsTrunkDown(Final(status, synthesized)), Is.EqualTo(down));

    [Test]
    public void TheReasonSaysWhichTrunkAndWhy()
    {
        Assert.Multiple(() =>
        {
            Assert.That(TrunkFailover.Reason(_trunk, Final(503), null), Is.EqualTo("trunk carrier: 503 Service Unavailable"));
            Assert.That(TrunkFailover.Reason(_trunk, Final(408, true), null), Does.Contain("no response from UDP:10.0.0.5:5060"));
            Assert.That(TrunkFailover.Reason(_trunk, Final(503, true), "TLS to 10.0.0.5:5061 refused: its certificate is not pinned"), Does.Contain("certificate is not pinned"));
        });
    }

    [Test]
    public void TlsIsATransportAndItsKeysAreCheckedByName()
    {
        var (tls, ok) = TrunkOptions.Check(new TrunkOptions { Name = "a", Address = "127.0.0.1:5061", Transport = "tls", CallerId = "95500" }, 0);
        var (_, badPin) = TrunkOptions.Check(new TrunkOptions { Name = "a", Address = "127.0.0.1:5061", Transport = "TLS", CallerId = "95500", TlsCertificateSha256 = "AB:CD" }, 1);
        var (_, noFile) = TrunkOptions.Check(new TrunkOptions { Name = "a", Address = "127.0.0.1:5061", Transport = "tls", CallerId = "95500", TlsCaFile = "/nowhere/ca.pem" }, 2);
        var (_, onUdp) = TrunkOptions.Check(new TrunkOptions { Name = "a", Address = "127.0.0.1:5060", Transport = "udp", CallerId = "95500", TlsCaFile = "/x.pem" }, 3);
        var (_, register) = TrunkOptions.Check(new TrunkOptions { Name = "a", Address = "127.0.0.1:5060", CallerId = "95500", Register = true, RegisterExpires = 10 }, 4);

        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.Empty);
            Assert.That(tls!.Remote.Protocol, Is.EqualTo(SipTransportProtocol.Tls));
            Assert.That(tls.Tls!.ServerName, Is.EqualTo("127.0.0.1"), "the address's IP when no name is set");
            Assert.That(badPin, Has.Some.StartsWith("Trunks:1:TlsCertificateSha256"));
            Assert.That(noFile, Has.Some.StartsWith("Trunks:2:TlsCaFile"));
            Assert.That(onUdp, Has.Some.Contains("only with Transport=tls"));
            Assert.That(register, Has.Some.StartsWith("Trunks:4:Register:"));
            Assert.That(register, Has.Some.StartsWith("Trunks:4:RegisterExpires"));
        });
    }

    [Test]
    public void AHostNameWithAPortIsResolvedAtTheStart()
    {
        var (trunk, errors) = TrunkOptions.Check(new TrunkOptions { Name = "carrier", Address = "localhost:5070", CallerId = "95500" }, 0);

        var (byAddress, _) = TrunkOptions.Check(new TrunkOptions { Name = "carrier", Address = "127.0.0.1:5070", CallerId = "95500" }, 0);

        Assert.That(errors, Is.Empty);
        Assert.Multiple(() =>
        {
            Assert.That(trunk!.Remote.EndPoint, Is.EqualTo(new IPEndPoint(IPAddress.Loopback, 5070)), "localhost's IPv4 address, preferred to ::1");
            Assert.That(trunk.HostName, Is.EqualTo("localhost"));
            Assert.That(byAddress!.HostName, Is.Null);
        });
    }

    [Test]
    public void AHostNameThatDoesNotResolveStopsTheStartNamingTheTrunkAndTheName()
    {
        var (trunk, errors) = TrunkOptions.Check(new TrunkOptions { Name = "carrier-b", Address = "no-such-host.invalid:5070", CallerId = "95500" }, 1);

        Assert.That(trunk, Is.Null);
        Assert.That(errors, Has.One.StartsWith("Trunks:1:Address: trunk \"carrier-b\": the host name \"no-such-host.invalid\" does not resolve"), string.Join("\n", errors));
    }

    [TestCase("carrier.example", TestName = "a name without a port")]
    [TestCase("10.0.0.5", TestName = "an address without a port")]
    [TestCase("carrier.example:0", TestName = "port 0")]
    [TestCase("carrier.example:65536", TestName = "a port too high")]
    [TestCase("carrier.example:sip", TestName = "a port that is no number")]
    [TestCase(":5060", TestName = "no host")]
    [TestCase("carrier example:5060", TestName = "a host that is no name")]
    [TestCase("", TestName = "nothing")]
    public void AnAddressThatIsNotAHostWithAPortIsRefusedWithoutALookUp(string address)
    {
        var looked = new List<string>();
        var (trunk, errors) = TrunkOptions.Check(new TrunkOptions { Name = "carrier", Address = address, CallerId = "95500" }, 0, name => { looked.Add(name); return [IPAddress.Loopback]; });

        Assert.Multiple(() =>
        {
            Assert.That(trunk, Is.Null);
            Assert.That(errors, Has.One.StartsWith("Trunks:0:Address:").And.Contains("with a port"));
            Assert.That(looked, Is.Empty);
        });
    }

    [Test]
    public void ANameIsResolvedToItsIPv4AddressFirstElseItsIPv6One()
    {
        var v6 = IPAddress.Parse("2001:db8::5");
        var v4 = IPAddress.Parse("192.0.2.7");

        var (both, _) = TrunkOptions.Check(new TrunkOptions { Name = "a", Address = "sbc.carrier.example:5061", CallerId = "95500" }, 0, _ => [v6, v4]);
        var (only6, _) = TrunkOptions.Check(new TrunkOptions { Name = "a", Address = "sbc.carrier.example:5061", CallerId = "95500" }, 0, _ => [v6]);
        var (none, errors) = TrunkOptions.Check(new TrunkOptions { Name = "a", Address = "sbc.carrier.example:5061", CallerId = "95500" }, 0, _ => []);

        Assert.Multiple(() =>
        {
            Assert.That(both!.Remote.EndPoint, Is.EqualTo(new IPEndPoint(v4, 5061)));
            Assert.That(only6!.Remote.EndPoint, Is.EqualTo(new IPEndPoint(v6, 5061)));
            Assert.That(none, Is.Null);
            Assert.That(errors, Has.One.Contains("\"sbc.carrier.example\" resolves to no IP address"));
        });
    }

    [Test]
    public void ATlsTrunkGivenByNameChecksTheCertificateForThatNameUnlessAnotherIsSet()
    {
        var (byName, _) = TrunkOptions.Check(new TrunkOptions { Name = "a", Address = "sbc.carrier.example:5061", Transport = "tls", CallerId = "95500" }, 0, _ => [IPAddress.Parse("192.0.2.7")]);
        var (named, _) = TrunkOptions.Check(new TrunkOptions { Name = "a", Address = "sbc.carrier.example:5061", Transport = "tls", CallerId = "95500", TlsServerName = "sip.carrier.example" }, 0, _ => [IPAddress.Parse("192.0.2.7")]);

        Assert.Multiple(() =>
        {
            Assert.That(byName!.Tls!.ServerName, Is.EqualTo("sbc.carrier.example"));
            Assert.That(byName.Remote.EndPoint, Is.EqualTo(IPEndPoint.Parse("192.0.2.7:5061")));
            Assert.That(named!.Tls!.ServerName, Is.EqualTo("sip.carrier.example"));
        });
    }

    [Test]
    public void ThePasswordStaysOutOfTheTrunksText() =>
        Assert.That(_trunk.ToString(), Does.Not.Contain("secret"));

    [Test]
    public void FailoverGoesToTheNextTrunkInOrderAndEndsAfterTheLast()
    {
        var second = _trunk with { Name = "second" };
        var trunks = new Trunks([_trunk, second]);

        Assert.Multiple(() =>
        {
            Assert.That(trunks.After(_trunk), Is.SameAs(second));
            Assert.That(trunks.After(second), Is.Null);
        });
    }

    /// <summary>A 200 to a REGISTER as the registrar sends it, parsed by the real SIP parser (which keeps Expires apart from the other headers).</summary>
    private static SipResponse Parsed200(params string[] extra)
    {
        var text = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\nFrom: <sip:cc@10.0.0.5>;tag=a\r\nTo: <sip:cc@10.0.0.5>;tag=b\r\n"
            + "Call-ID: call-1\r\nCSeq: 1 REGISTER\r\n" + string.Concat(extra.Select(h => h + "\r\n")) + "Content-Length: 0\r\n\r\n";
        var result = SipParser.ParseDatagram(Encoding.ASCII.GetBytes(text));
        Assert.That(result.Status, Is.EqualTo(SipParseStatus.Message), result.Error?.ToString());
        return (SipResponse)result.Message!;
    }

    [Test]
    public void TheRegistrarsGrantIsOurContactsExpiresElseTheHeaderElseWhatWeAsked()
    {
        var contact = new SipUri { Scheme = "sip", User = "cc", Host = "10.0.0.1", Port = 5060 };
        var ok = Parsed200("Contact: <sip:other@10.0.0.9:5060>;expires=999", "Contact: <sip:cc@10.0.0.1:5060>;expires=120", "Expires: 300");
        var header = Parsed200("Contact: <sip:cc@10.0.0.1:5060>", "Expires: 300");

        Assert.Multiple(() =>
        {
            Assert.That(TrunkRegistrationPlanner.Granted(ok, contact, 3600), Is.EqualTo(120));
            Assert.That(TrunkRegistrationPlanner.Granted(header, contact, 3600), Is.EqualTo(300), "a registrar shortening the lifetime by the Expires header");
            Assert.That(TrunkRegistrationPlanner.Granted(Parsed200(), contact, 3600), Is.EqualTo(3600));
            Assert.That(TrunkRegistrationPlanner.Granted(header, contact, 60), Is.EqualTo(60), "never longer than asked");
            Assert.That(TrunkRegistrationPlanner.RefreshAfter(3600), Is.EqualTo(TimeSpan.FromSeconds(3540)));
            Assert.That(TrunkRegistrationPlanner.RefreshAfter(4), Is.EqualTo(TimeSpan.FromSeconds(2)));
        });
    }

    [TestCase(0, false)]
    [TestCase(1, false)]
    [TestCase(59, false)]
    [TestCase(60, true)]
    [TestCase(3600, true)]
    public void ALifetimeUnderAMinuteIsAFailureSoAHostileRegistrarCannotMakeUsRegisterEverySecond(int granted, bool kept) =>
        Assert.That(TrunkRegistrationPlanner.Acceptable(granted), Is.EqualTo(kept));

    [Test]
    public void TheRegisterNamesTheTrunksUserAndAnswersAChallengeOnTheSameCallId()
    {
        var contact = new SipUri { Scheme = "sip", User = "cc", Host = "10.0.0.1", Port = 5060 };
        var first = TrunkRegistrationPlanner.Register(_trunk, contact, "call-1", "tag-1", 1, 3600);
        var again = TrunkRegistrationPlanner.Register(_trunk, contact, "call-1", "tag-1", 2, 3600, (SipHeaderNames.Authorization, "Digest username=\"cc\""));

        Assert.Multiple(() =>
        {
            Assert.That(first.RequestUri.ToString(), Is.EqualTo("sip:10.0.0.5:5060"));
            Assert.That(first.To!.Uri.ToString(), Is.EqualTo("sip:cc@10.0.0.5"));
            Assert.That(first.Headers.Get(SipHeaderNames.Expires), Is.EqualTo("3600"));
            Assert.That(first.Headers.Get(SipHeaderNames.Authorization), Is.Null);
            Assert.That((again.CallId, again.CSeq!.Value.Number, again.From!.Tag), Is.EqualTo(("call-1", 2u, "tag-1")));
            Assert.That(again.Headers.Get(SipHeaderNames.Authorization), Does.StartWith("Digest"));
        });
    }
}
