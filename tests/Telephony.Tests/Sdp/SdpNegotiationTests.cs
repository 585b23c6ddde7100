using System.Net;
using System.Text;
using CallCenter.Telephony.Sdp;

namespace CallCenter.Telephony.Tests.Sdp;

public sealed class SdpNegotiationTests
{
    private static SdpOffer? Parse(string sdp) => SdpOffer.TryParse(Encoding.ASCII.GetBytes(sdp.ReplaceLineEndings("\r\n")));

    [Test]
    public void SippOfferWithStaticPcmuIsAnsweredWithPcmu()
    {
        var offer = Parse("v=0\no=user1 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\nm=audio 6000 RTP/AVP 0\na=rtpmap:0 PCMU/8000\n");

        var answer = SdpAnswer.Choose(offer!);

        Assert.That(offer!.Address, Is.EqualTo(IPAddress.Loopback));
        Assert.That(offer.Port, Is.EqualTo(6000));
        Assert.That(answer, Is.EqualTo(new SdpAnswer(0, "PCMU", null, SdpDirection.SendRecv)));
    }

    [Test]
    public void OffererPreferenceOrderWinsAndTelephoneEventIsKept()
    {
        var offer = Parse("v=0\ns=-\nc=IN IP4 10.0.0.1\nt=0 0\nm=audio 4000 RTP/AVP 18 8 0 96\na=rtpmap:18 G729/8000\na=rtpmap:96 telephone-event/8000\n");

        var answer = SdpAnswer.Choose(offer!);

        Assert.That(answer, Is.EqualTo(new SdpAnswer(8, "PCMA", 96, SdpDirection.SendRecv)));
    }

    [Test]
    public void MediaLevelConnectionOverridesSessionLevel()
    {
        var offer = Parse("v=0\ns=-\nc=IN IP4 10.0.0.1\nt=0 0\nm=audio 4000 RTP/AVP 0\nc=IN IP4 10.0.0.2\n");

        Assert.That(offer!.Address, Is.EqualTo(IPAddress.Parse("10.0.0.2")));
    }

    [TestCase("sendonly", "recvonly")]
    [TestCase("recvonly", "sendonly")]
    [TestCase("inactive", "inactive")]
    public void HoldDirectionsAreMirrored(string offered, string answered)
    {
        var offer = Parse($"v=0\ns=-\nc=IN IP4 10.0.0.1\nt=0 0\nm=audio 4000 RTP/AVP 0\na={offered}\n");

        Assert.That(SdpAnswer.Choose(offer!)!.Direction.ToAttribute(), Is.EqualTo(answered));
    }

    [TestCase("sendrecv", true, false)]
    [TestCase("sendonly", true, true)]
    [TestCase("recvonly", false, false)]
    [TestCase("inactive", false, true)]
    public void ADirectionSaysWhetherItsSideSendsAndWhetherAnOfferOfItIsHold(string attribute, bool sends, bool hold)
    {
        Assert.That(SdpDirections.TryParse(attribute, out var direction), Is.True);
        Assert.That(direction.Sends(), Is.EqualTo(sends));
        Assert.That(direction.IsHold(), Is.EqualTo(hold));
        Assert.That(direction.ToAttribute(), Is.EqualTo(attribute));
    }

    [Test]
    public void AnAttributeThatIsNoDirectionLeavesTheStreamSendRecv()
    {
        Assert.That(SdpDirections.TryParse("rtpmap:0 PCMU/8000", out _), Is.False);
        var offer = Parse("v=0\ns=-\nc=IN IP4 10.0.0.1\nt=0 0\nm=audio 4000 RTP/AVP 0\na=sendrecvx\n");
        Assert.That(offer!.Direction, Is.EqualTo(SdpDirection.SendRecv));
    }

    [Test]
    public void OfferWithoutG711HasNoAnswer()
    {
        var offer = Parse("v=0\ns=-\nc=IN IP4 10.0.0.1\nt=0 0\nm=audio 4000 RTP/AVP 18\na=rtpmap:18 G729/8000\n");

        Assert.That(SdpAnswer.Choose(offer!), Is.Null);
    }

    [TestCase("")]
    [TestCase("garbage")]
    [TestCase("v=0\ns=-\nt=0 0\nm=audio 4000 RTP/AVP 0\n")]
    [TestCase("v=0\nc=IN IP4 10.0.0.1\nm=video 4000 RTP/AVP 31\n")]
    [TestCase("v=0\nc=IN IP4 10.0.0.1\nm=audio 99999 RTP/AVP 0\n")]
    public void UnusableDescriptionsAreRefusedWithoutThrowing(string sdp)
    {
        Assert.That(Parse(sdp), Is.Null);
    }

    [Test]
    public void AnswerTextCarriesOurAddressPortAndPtime()
    {
        var text = Encoding.ASCII.GetString(new SdpAnswer(8, "PCMA", 101, SdpDirection.SendRecv).Write(IPAddress.Parse("192.0.2.7"), 20002, 42, 1));

        Assert.That(text, Does.Contain("c=IN IP4 192.0.2.7\r\n").And.Contain("m=audio 20002 RTP/AVP 8 101\r\n")
            .And.Contain("a=rtpmap:101 telephone-event/8000\r\n").And.Contain("a=ptime:20\r\n").And.Contain("a=sendrecv\r\n"));
        Assert.That(Parse(text)!.Port, Is.EqualTo(20002));
    }

    [Test]
    public void OurOfferListsTheCodecsInOrderAndAPhonesAnswerToItIsReadBack()
    {
        var text = Encoding.ASCII.GetString(SdpOfferWriter.Write(IPAddress.Parse("192.0.2.9"), 20010, [8, 0], 7, 1));
        var parsed = Parse(text)!;
        var chosen = SdpAnswer.Choose(parsed)!;

        Assert.That(text, Does.Contain("m=audio 20010 RTP/AVP 8 0 101\r\n").And.Contain("a=rtpmap:8 PCMA/8000\r\n").And.Contain("a=rtpmap:0 PCMU/8000\r\n"));
        Assert.That(parsed.PayloadTypes, Is.EqualTo(new[] { 8, 0, 101 }));
        Assert.That((chosen.Codec, chosen.TelephoneEventPayloadType), Is.EqualTo(("PCMA", (int?)101)));
        Assert.Throws<ArgumentException>(() => SdpOfferWriter.Write(IPAddress.Loopback, 1, [18], 1, 1));
    }
}
