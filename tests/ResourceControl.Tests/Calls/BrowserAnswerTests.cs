using System.Net;
using System.Text;
using CallCenter.ResourceControl.Calls;
using CallCenter.Telephony;
using CallCenter.Telephony.Codecs;
using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.WebRtc;
using CallCenter.TestSupport;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>A browser's 200 to our WebRTC offer: what the leg takes from it, and what it refuses.</summary>
public sealed class BrowserAnswerTests
{

    private static RtpSession Open()
    {
        var first = FreePorts.InProcessBlock(10); // free now, not a fixed range (other test processes run beside)
        var ports = new RtpPortAllocator(new RtpOptions { PortMin = first, PortMax = first + 9 });
        return RtpSession.OpenWebRtc(ports, IPAddress.Loopback, new RtpMediaFormat(8, G711Law.ALaw, null), new RtpCounters(), TimeProvider.System, DtlsIdentity.Create(TimeProvider.System))!;
    }

    private static SipResponse Ok(string sdp) => new() { StatusCode = 200, ContentType = "application/sdp", Body = Encoding.ASCII.GetBytes(sdp) };

    private static string Answer(string setup, string fingerprint) =>
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n" +
        "m=audio 9 UDP/TLS/RTP/SAVPF 8\r\nc=IN IP4 0.0.0.0\r\n" +
        "a=ice-ufrag:brws\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n" +
        $"a=fingerprint:sha-256 {fingerprint}\r\na=setup:{setup}\r\na=rtcp-mux\r\na=sendrecv\r\na=rtpmap:8 PCMA/8000\r\n";

    [Test]
    public async Task TheBrowsersAnswerGivesTheCodecAndStartsIceAndDtlsButNoMediaAddress()
    {
        await using var media = Open();

        var (sdp, chosen) = CallSignalling.ReadBrowserAnswer(Ok(Answer("active", DtlsIdentity.Create(TimeProvider.System).Fingerprint)), media, out var refusal);

        Assert.That(refusal, Is.Null);
        Assert.That(chosen!.ToMediaFormat().Law, Is.EqualTo(G711Law.ALaw));
        Assert.That(chosen.TelephoneEventPayloadType, Is.EqualTo(WebRtcOffer.TelephoneEventPayloadType));
        Assert.That(media.WebRtc!.Ice.RemoteUfrag, Is.EqualTo("brws"), "checks must now carry the browser's ufrag");
        CallLegs.ApplyAnswer(media, sdp!, chosen);
        Assert.That(media.Remote.Port, Is.Zero, "the SDP never says where a browser's media goes: ICE does");
    }

    [TestCase("passive", "the browser must be the DTLS client")]
    [TestCase("actpass", "the browser must be the DTLS client")]
    public async Task AnAnswerThatWouldMakeUsTheDtlsClientIsRefused(string setup, string reason)
    {
        await using var media = Open();

        var (sdp, chosen) = CallSignalling.ReadBrowserAnswer(Ok(Answer(setup, "AB:CD")), media, out var refusal);

        Assert.That(sdp, Is.Null);
        Assert.That(chosen, Is.Null);
        Assert.That(refusal, Does.Contain(reason));
        Assert.That(media.WebRtc!.Ice.RemoteUfrag, Is.Null, "no handshake was started");
    }

    [Test]
    public async Task APlainRtpAnswerFromABrowserIsRefused()
    {
        await using var media = Open();
        var plain = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n";

        var (_, chosen) = CallSignalling.ReadAnswer(Ok(plain), media);

        Assert.That(chosen, Is.Null, "a browser leg never falls back to plain RTP");
    }
}
