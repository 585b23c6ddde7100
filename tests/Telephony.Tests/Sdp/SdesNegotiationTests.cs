using System.Text;
using CallCenter.Telephony.Rtp.Srtp;
using CallCenter.Telephony.Sdp;

namespace CallCenter.Telephony.Tests.Sdp;

/// <summary>SDES (RFC 4568) in offers and answers: keys only over TLS, no downgrade, no switch mid-call, our lines readable by a peer.</summary>
public sealed class SdesNegotiationTests
{
    private const string Key = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"; // 30 bytes of key and salt, as RFC 4568's example

    private static SdpOffer Offer(string profile, params string[] attributes)
    {
        var sdp = new StringBuilder("v=0\r\no=- 1 1 IN IP4 192.0.2.7\r\ns=-\r\nc=IN IP4 192.0.2.7\r\nt=0 0\r\n")
            .Append($"m=audio 4000 {profile} 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n");
        foreach (var attribute in attributes)
        {
            sdp.Append("a=").Append(attribute).Append("\r\n");
        }

        return SdpOffer.TryParse(Encoding.ASCII.GetBytes(sdp.ToString()))!;
    }

    [Test]
    public void AnSavpOfferOverTlsIsAnsweredWithOurOwnKeyUnderItsTag()
    {
        var offer = Offer("RTP/SAVP", "crypto:7 AES_CM_128_HMAC_SHA1_32 inline:" + Key, "crypto:9 AES_CM_128_HMAC_SHA1_80 inline:" + Key);

        var verdict = SdesNegotiation.ForNewSession(offer, overTls: true);
        var answer = Encoding.ASCII.GetString(SdpAnswer.Choose(offer)!.Write(System.Net.IPAddress.Loopback, 5000, 1, 1, verdict.Ours, SdesNegotiation.AnswerProfile(offer)));
        var readBack = SdpOffer.TryParse(Encoding.ASCII.GetBytes(answer))!;

        Assert.That(offer.RequiresSrtp, Is.True);
        Assert.That(verdict.Refusal, Is.Null);
        Assert.That(verdict.Theirs!.SameAs(offer.Crypto!.Master), Is.True, "their key: the one line of the suite we take");
        Assert.That(verdict.Ours!.Tag, Is.EqualTo(9));
        Assert.That(verdict.Ours.Master.SameAs(verdict.Theirs), Is.False, "our key is our own, fresh");
        Assert.That(answer, Does.Contain("m=audio 5000 RTP/SAVP 0 101\r\n"));
        Assert.That(readBack.Crypto!.Master.SameAs(verdict.Ours.Master), Is.True);
        Assert.That(readBack.Crypto.Tag, Is.EqualTo(9));
    }

    [Test]
    public void AnSavpOfferOverUdpOrTcpIsRefusedWithAWarningNotAnsweredWithKeysASnifferReads()
    {
        var verdict = SdesNegotiation.ForNewSession(Offer("RTP/SAVP", "crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + Key), overTls: false);

        Assert.That(verdict.Secure, Is.False);
        Assert.That(verdict.Refusal, Does.StartWith("305 callcenter \"").And.Contain("TLS"));
    }

    [Test]
    public void AnSavpOfferWithoutAKeyWeCanUseIsRefused()
    {
        Assert.That(SdesNegotiation.ForNewSession(Offer("RTP/SAVP"), overTls: true).Refusal, Does.Contain(SdesCrypto.Suite));
        Assert.That(SdesNegotiation.ForNewSession(Offer("RTP/SAVP", "crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + Key + "|2^20|1:4"), overTls: true).Refusal, Is.Not.Null, "an MKI");
        Assert.That(SdesNegotiation.ForNewSession(Offer("RTP/SAVP", "crypto:1 F8_128_HMAC_SHA1_80 inline:" + Key), overTls: true).Refusal, Is.Not.Null, "another suite");
    }

    [Test]
    public void ABestEffortOfferIsSecureOverTlsAndPlainElsewhere()
    {
        var offer = Offer("RTP/AVP", "crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + Key);

        Assert.That(SdesNegotiation.ForNewSession(offer, overTls: true).Secure, Is.True);
        Assert.That(SdesNegotiation.AnswerProfile(offer), Is.EqualTo("RTP/AVP"));
        Assert.That(SdesNegotiation.ForNewSession(offer, overTls: false), Is.EqualTo(SdesVerdict.Plain));
        Assert.That(SdesNegotiation.ForNewSession(Offer("RTP/AVP"), overTls: true), Is.EqualTo(SdesVerdict.Plain), "TLS alone does not make the media secure");
    }

    [Test]
    public void AReInviteCannotDowngradeASecureCallNorUpgradeAPlainOne()
    {
        var ours = SdesCrypto.Create(1).Master;
        var secureAgain = SdesNegotiation.ForSessionUpdate(Offer("RTP/SAVP", "crypto:4 AES_CM_128_HMAC_SHA1_80 inline:" + Key), ours);

        Assert.That(secureAgain.Ours!.Master.SameAs(ours), Is.True, "our key stays for the whole call");
        Assert.That(secureAgain.Ours.Tag, Is.EqualTo(4));
        Assert.That(SdesNegotiation.ForSessionUpdate(Offer("RTP/AVP"), ours).Refusal, Does.Contain("SRTP"), "a downgrade");
        Assert.That(SdesNegotiation.ForSessionUpdate(Offer("RTP/SAVP", "crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + Key), ours: null).Refusal, Does.Contain("plain"), "an upgrade");
        Assert.That(SdesNegotiation.ForSessionUpdate(Offer("RTP/AVP"), ours: null), Is.EqualTo(SdesVerdict.Plain));
    }

    [Test]
    public void OurOfferIsSavpWithOneKeyAndTheAnswerMustReturnOneUnderOurTag()
    {
        var ours = SdesCrypto.Create(SdesNegotiation.OfferTag).Master;
        var offer = Encoding.ASCII.GetString(SdpOfferWriter.Write(System.Net.IPAddress.Loopback, 6000, [0], 1, 1, crypto: SdesNegotiation.Offer(ours)));
        var readBack = SdpOffer.TryParse(Encoding.ASCII.GetBytes(offer))!;

        Assert.That(offer, Does.Contain("m=audio 6000 RTP/SAVP 0 101\r\n"));
        Assert.That(readBack.Crypto!.Master.SameAs(ours), Is.True);

        var good = SdesNegotiation.ForAnswer(Offer("RTP/SAVP", "crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + Key), ours);
        Assert.That(good.Theirs, Is.Not.Null);
        Assert.That(SdesNegotiation.ForAnswer(Offer("RTP/AVP"), ours).Refusal, Is.Not.Null, "a plain answer to a secure offer");
        Assert.That(SdesNegotiation.ForAnswer(Offer("RTP/SAVP", "crypto:2 AES_CM_128_HMAC_SHA1_80 inline:" + Key), ours).Refusal, Is.Not.Null, "another tag");
        Assert.That(SdesNegotiation.ForAnswer(Offer("RTP/SAVP", "crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + Key), ours: null), Is.EqualTo(SdesVerdict.Plain));
    }
}
