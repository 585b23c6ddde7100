using System.Text;
using CallCenter.Telephony.Transport;

namespace CallCenter.Telephony.Tests.Transport;

public sealed class SipRejectionTests
{
    [Test]
    public void RejectionCopiesTheIdentifyingLinesVerbatimEvenWhenMalformed()
    {
        var request = Encoding.ASCII.GetBytes(
            "INVITE sip:user@example.com SIP/2.0\r\n" +
            "v: SIP/2.0/UDP 192.0.2.15;;,;,,\r\n" +
            "To: \"Mr. J. User <sip:j.user@example.com>\r\n" +
            "From: sip:caller@example.net;tag=93334\r\n" +
            "Subject: not copied\r\n" +
            "Call-ID: abc\r\n" +
            "CSeq: 1 INVITE\r\n" +
            "   ; folded-on\r\n" +
            "Content-Length: 0\r\n\r\n");

        var text = Encoding.ASCII.GetString(SipRejection.Build(request, 400, "Bad Request", "BadHeaderValue"));

        Assert.That(text, Is.EqualTo(
            "SIP/2.0 400 Bad Request\r\n" +
            "v: SIP/2.0/UDP 192.0.2.15;;,;,,\r\n" +
            "To: \"Mr. J. User <sip:j.user@example.com>\r\n" +
            "From: sip:caller@example.net;tag=93334\r\n" +
            "Call-ID: abc\r\n" +
            "CSeq: 1 INVITE\r\n" +
            "   ; folded-on\r\n" +
            "Warning: 399 callcenter \"BadHeaderValue\"\r\n" +
            "Content-Length: 0\r\n\r\n"));
    }

    [Test]
    public void BodyLinesAfterTheHeadersAreNeverCopied()
    {
        var request = Encoding.ASCII.GetBytes("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\nVia: in the body\r\n");

        var text = Encoding.ASCII.GetString(SipRejection.Build(request, 400, "Bad Request", "MissingRequiredHeader"));

        Assert.That(text, Does.Not.Contain("in the body"));
        Assert.That(text, Does.Contain("Call-ID: x\r\n"));
    }
}
