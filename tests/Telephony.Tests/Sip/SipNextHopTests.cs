using System.Net;
using CallCenter.Telephony.Sip;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Parsing;
using CallCenter.Telephony.Transport;

namespace CallCenter.Telephony.Tests.Sip;

public sealed class SipNextHopTests
{
    private static readonly SipRemote _source = new(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Parse("198.51.100.4"), 40000));

    private static SipUri Uri(string text)
    {
        Assert.That(SipUriParser.TryParse(text, SipParserLimits.Default, out var uri, out var error), Is.True, error);
        return uri!;
    }

    private static SipRequest Bye(params string[] routes)
    {
        var request = new SipRequest { Method = SipMethods.Bye, RequestUri = Uri("sip:1001@192.0.2.10:5062") };
        request.Routes.AddRange(routes.Select(r => new SipNameAddress { Uri = Uri(r) }));
        return request;
    }

    [TestCase("sip:10.0.0.5;lr", "UDP:10.0.0.5:5060")]
    [TestCase("sip:10.0.0.5:5070;lr;transport=TCP", "TCP:10.0.0.5:5070")]
    [TestCase("sips:10.0.0.5;lr", "TLS:10.0.0.5:5061")]
    [TestCase("sip:[2001:db8::5]:5080;lr", "UDP:[2001:db8::5]:5080")]
    public void AnIpHopResolvesToItsTransportAddressAndPort(string uri, string expected)
    {
        Assert.That(SipNextHop.TryResolve(Uri(uri), out var remote, out var error), Is.True, error);
        Assert.That(remote.ToString(), Is.EqualTo(expected));
    }

    [TestCase("sip:proxy.example.com;lr", "DNS")]
    [TestCase("sip:10.0.0.5;transport=sctp", "sctp")]
    [TestCase("tel:+8613800000001", "not a SIP URI")]
    public void AHopThatIsNoIpAddressOrUsesAnUnknownTransportIsRefusedWithTheReason(string uri, string reason)
    {
        Assert.That(SipNextHop.TryResolve(Uri(uri), out _, out var error), Is.False);
        Assert.That(error, Does.Contain(reason));
    }

    [Test]
    public void ARequestWithALooseRouteGoesToItsFirstRouteAndOneWithoutRouteWhereTheCallerSaid()
    {
        Assert.That(SipNextHop.ForRequest(Bye("sip:10.0.0.5;lr", "sip:10.0.0.6;lr"), _source).ToString(), Is.EqualTo("UDP:10.0.0.5:5060"));
        Assert.That(SipNextHop.ForRequest(Bye(), _source), Is.EqualTo(_source));
        Assert.That(SipNextHop.ForRequest(Bye("sip:proxy.example.com;lr"), _source), Is.EqualTo(_source), "no DNS here: the old address");
    }

    [Test]
    public void ARequestBuiltForAStrictRouterGoesToItsRequestUri()
    {
        // RFC 3261 12.2.1.1: a strict router's URI is the Request-URI, the remote target the last Route.
        var request = Bye("sip:1001@192.0.2.10:5062");
        request.RequestUri = Uri("sip:10.0.0.7:5090");

        Assert.That(SipNextHop.ForRequest(request, _source).ToString(), Is.EqualTo("UDP:10.0.0.7:5090"));
    }

    [Test]
    public void AnOutboundProxyGetsLrAndIsTheRouteOnlyWhenThePhoneHasNoPath()
    {
        Assert.That(SipOutboundProxy.TryParse("sip:10.0.0.5:5060", out var proxy, out var error), Is.True, error);
        var path = new SipNameAddress { Uri = Uri("sip:10.0.0.9;lr") };

        Assert.That(SipWriter.Write(proxy.Uri!), Is.EqualTo("sip:10.0.0.5:5060;lr"));
        Assert.That(proxy.RoutesFor([]).Select(r => SipWriter.Write(r)), Is.EqualTo(new[] { "<sip:10.0.0.5:5060;lr>" }));
        Assert.That(proxy.RoutesFor([path]).Select(r => SipWriter.Write(r)), Is.EqualTo(new[] { "<sip:10.0.0.9;lr>" }));
        Assert.That(SipOutboundProxy.None.RoutesFor([]), Is.Empty);
        Assert.That(SipOutboundProxy.TryParse("", out var none, out _) && none.Uri is null, Is.True);
    }

    [TestCase("proxy:5060")]
    [TestCase("sip:proxy.example.com;lr")]
    [TestCase("sip:alice@10.0.0.5;lr")]
    public void AnOutboundProxySettingThatCannotBeReachedIsRefused(string setting)
    {
        Assert.That(SipOutboundProxy.TryParse(setting, out _, out var error), Is.False);
        Assert.That(error, Does.Contain(setting));
    }
}
