using System.Net;
using System.Text;
using CallCenter.Telephony.Sdp;

namespace CallCenter.Telephony.Tests.Sdp;

public sealed class SdpAddressFamilyTests
{
    private static SdpOffer Offer(string connection) =>
        SdpOffer.TryParse(Encoding.ASCII.GetBytes(
            $"v=0\r\no=- 1 1 {connection}\r\ns=-\r\nc={connection}\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"))!;

    [Test]
    public void AnIpv6OfferToAnIpv4PlatformIsRefusedWithWarning301SayingIpv6IsNotAvailable()
    {
        var warning = SdpAddressFamily.Refusal(Offer("IN IP6 2001:db8::5"), IPAddress.Parse("192.0.2.1"));

        Assert.That(warning, Does.StartWith("301 callcenter \"").And.Contain("IPv6 media is not available").And.EndWith("\""));
    }

    [Test]
    public void AnIpv4OfferToAnIpv6PlatformIsRefusedToo()
    {
        Assert.That(SdpAddressFamily.Refusal(Offer("IN IP4 192.0.2.5"), IPAddress.IPv6Loopback), Does.StartWith("301 ").And.Contain("IPv4 media is not available"));
    }

    [TestCase("IN IP4 192.0.2.5", "192.0.2.1")]
    [TestCase("IN IP6 2001:db8::5", "::1")]
    [TestCase("IN IP4 0.0.0.0", "192.0.2.1")]
    public void AnOfferInOurFamilyIsAnswered(string connection, string ours)
    {
        Assert.That(SdpAddressFamily.Refusal(Offer(connection), IPAddress.Parse(ours)), Is.Null);
    }
}
