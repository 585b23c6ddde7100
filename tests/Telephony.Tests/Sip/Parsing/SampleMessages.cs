using System.Text;

namespace CallCenter.Telephony.Tests.Sip.Parsing;

/// <summary>Typical well-formed messages, beside the torture set.</summary>
internal static class SampleMessages
{
    public const string Sdp =
        "v=0\r\no=alice 2890844526 2890844526 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\n";

    public static byte[] Invite { get; } = Encoding.UTF8.GetBytes(
        "INVITE sip:bob@example.com SIP/2.0\r\n" +
        "Via: SIP/2.0/TCP pc33.example.org:5060;branch=z9hG4bK776asdhds;rport\r\n" +
        "Max-Forwards: 70\r\n" +
        "To: Bob <sip:bob@example.com>\r\n" +
        "From: \"Alice Smith\" <sip:alice@example.org>;tag=1928301774\r\n" +
        "Call-ID: a84b4c76e66710@pc33.example.org\r\n" +
        "CSeq: 314159 INVITE\r\n" +
        "Contact: <sip:alice@pc33.example.org;transport=tcp>\r\n" +
        "Supported: replaces, timer\r\n" +
        "Content-Type: application/sdp\r\n" +
        "Content-Length: " + Sdp.Length + "\r\n\r\n" + Sdp);

    public static byte[] Register { get; } = Encoding.UTF8.GetBytes(
        "REGISTER sip:registrar.example.com SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 192.0.2.20:5060;branch=z9hG4bKnashds7\r\n" +
        "Max-Forwards: 70\r\n" +
        "To: Agent 7 <sip:agent7@example.com>\r\n" +
        "From: Agent 7 <sip:agent7@example.com>;tag=456248\r\n" +
        "Call-ID: 843817637684230@998sdasdh09\r\n" +
        "CSeq: 1826 REGISTER\r\n" +
        "Contact: <sip:agent7@192.0.2.20:5060>;expires=3600, <sips:agent7@[2001:db8::7]:5061>;q=0.5\r\n" +
        "Expires: 7200\r\n" +
        "Authorization: Digest username=\"agent7\", realm=\"example.com\", nonce=\"ea9c8e88df84f1cec4341ae6cbe5a359\", uri=\"sip:registrar.example.com\", response=\"dfe56131d1958046689d83306477ecc\"\r\n" +
        "Content-Length: 0\r\n\r\n");

    public static byte[] Ok { get; } = Encoding.UTF8.GetBytes(
        "SIP/2.0 200 OK\r\n" +
        "Via: SIP/2.0/UDP server10.example.com;branch=z9hG4bKnashds8;received=192.0.2.3\r\n" +
        "Via: SIP/2.0/UDP bigbox3.site3.example.com;branch=z9hG4bK77ef4c2312983.1;received=192.0.2.2\r\n" +
        "Record-Route: <sip:server10.example.com;lr>, <sip:bigbox3.site3.example.com;lr>\r\n" +
        "To: Bob <sip:bob@example.com>;tag=a6c85cf\r\n" +
        "From: Alice <sip:alice@example.org>;tag=1928301774\r\n" +
        "Call-ID: a84b4c76e66710@pc33.example.org\r\n" +
        "CSeq: 314159 INVITE\r\n" +
        "Contact: <sip:bob@192.0.2.4>\r\n" +
        "Content-Type: application/sdp\r\n" +
        "Content-Length: " + Sdp.Length + "\r\n\r\n" + Sdp);

    public static IEnumerable<byte[]> All()
    {
        yield return Invite;
        yield return Register;
        yield return Ok;
    }
}
