using System.Net;
using System.Text;
using CallCenter.Telephony.WebRtc;

namespace CallCenter.Telephony.Tests.WebRtc;

public sealed class WebRtcSdpTests
{
    // The shape of Chromium's answer to an ICE-lite, actpass, rtcp-mux offer of PCMU/PCMA.
    private const string ChromiumAnswer =
        "v=0\r\n" +
        "o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n" +
        "s=-\r\n" +
        "t=0 0\r\n" +
        "a=group:BUNDLE 0\r\n" +
        "a=msid-semantic: WMS 7d1b5e2a\r\n" +
        "m=audio 9 UDP/TLS/RTP/SAVPF 0 101\r\n" +
        "c=IN IP4 0.0.0.0\r\n" +
        "a=rtcp:9 IN IP4 0.0.0.0\r\n" +
        "a=ice-ufrag:Xq3h\r\n" +
        "a=ice-pwd:pQ9a1mB7Zr2kLx0Cd4Ef6Gh8\r\n" +
        "a=ice-options:trickle\r\n" +
        "a=fingerprint:sha-256 0a:1B:2c:3D:4e:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9\r\n" +
        "a=setup:active\r\n" +
        "a=mid:0\r\n" +
        "a=sendrecv\r\n" +
        "a=rtcp-mux\r\n" +
        "a=rtpmap:0 PCMU/8000\r\n" +
        "a=rtpmap:101 telephone-event/8000\r\n" +
        "a=ssrc:1001 cname:x\r\n";

    [Test]
    public void OurOfferCarriesIceLiteOurCredentialsFingerprintActpassAndOneHostCandidate()
    {
        var ice = new IceCredentials("abcd1234", "0123456789abcdefghijklmn");

        var sdp = Encoding.ASCII.GetString(WebRtcOffer.Write(IPAddress.Parse("192.0.2.5"), 40000, [8, 0], ice, "AA:BB", 7, 1));

        Assert.That(sdp, Does.Contain("a=ice-lite\r\n"));
        Assert.That(sdp, Does.Contain("m=audio 40000 UDP/TLS/RTP/SAVPF 8 0 101\r\n"));
        Assert.That(sdp, Does.Contain("a=ice-ufrag:abcd1234\r\na=ice-pwd:0123456789abcdefghijklmn\r\n"));
        Assert.That(sdp, Does.Contain("a=fingerprint:sha-256 AA:BB\r\na=setup:actpass\r\n"));
        Assert.That(sdp, Does.Contain("a=rtcp-mux\r\n"));
        Assert.That(sdp, Does.Contain("a=candidate:1 1 udp 2130706431 192.0.2.5 40000 typ host\r\n"));
        Assert.Throws<ArgumentException>(() => WebRtcOffer.Write(IPAddress.Loopback, 1, [9], ice, "AA", 1, 1));
    }

    [Test]
    public void ChromiumsAnswerGivesItsCredentialsFingerprintAndCodec()
    {
        var answer = WebRtcAnswer.TryRead(ChromiumAnswer, out var refusal);

        Assert.That(refusal, Is.Null);
        Assert.That(answer!.IceUfrag, Is.EqualTo("Xq3h"));
        Assert.That(answer.IcePassword, Is.EqualTo("pQ9a1mB7Zr2kLx0Cd4Ef6Gh8"));
        Assert.That(answer.Fingerprint, Is.EqualTo("0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9"));
        Assert.That(answer.PayloadType, Is.EqualTo(0));
        Assert.That(answer.ToString(), Does.Not.Contain("pQ9a1mB7"));
    }

    [TestCase("a=setup:active", "a=setup:passive", "DTLS client")]
    [TestCase("a=rtcp-mux\r\n", "", "rtcp-mux")]
    [TestCase("a=fingerprint:sha-256", "a=fingerprint:sha-1", "fingerprint")]
    [TestCase("a=ice-pwd:pQ9a1mB7Zr2kLx0Cd4Ef6Gh8\r\n", "", "ICE credentials")]
    [TestCase("UDP/TLS/RTP/SAVPF 0 101", "RTP/AVP 0 101", "not DTLS-SRTP")]
    [TestCase("UDP/TLS/RTP/SAVPF 0 101", "UDP/TLS/RTP/SAVPF 111 101", "PCMU nor PCMA")]
    [TestCase("m=audio 9 ", "m=audio 0 ", "declined")]
    public void AnAnswerThisLegCannotUseIsRefusedWithTheReason(string from, string to, string reason)
    {
        var answer = WebRtcAnswer.TryRead(ChromiumAnswer.Replace(from, to, StringComparison.Ordinal), out var refusal);

        Assert.That(answer, Is.Null);
        Assert.That(refusal, Does.Contain(reason));
    }

    [Test]
    public void SessionLevelCredentialsAndFingerprintCount()
    {
        var moved = ChromiumAnswer
            .Replace("a=ice-ufrag:Xq3h\r\n", "", StringComparison.Ordinal)
            .Replace("t=0 0\r\n", "t=0 0\r\na=ice-ufrag:Sess\r\n", StringComparison.Ordinal);

        Assert.That(WebRtcAnswer.TryRead(moved, out _)?.IceUfrag, Is.EqualTo("Sess"));
    }
}
