using System.Globalization;
using System.Net;
using System.Text;

namespace CallCenter.Telephony.WebRtc;

/// <summary>
/// Our SDP offer to a browser (RFC 8829's shape, as an ICE-lite endpoint): one audio m-line on
/// UDP/TLS/RTP/SAVPF with PCMU and/or PCMA and telephone-event, rtcp-mux, our ICE credentials, our
/// DTLS fingerprint with <c>setup:actpass</c> (the browser answers <c>active</c> and we are the DTLS
/// server), and one host candidate: the media port.
/// </summary>
public static class WebRtcOffer
{
    public const int TelephoneEventPayloadType = 101;

    public static byte[] Write(IPAddress address, int port, IReadOnlyList<int> payloadTypes, IceCredentials ice, string fingerprint, long sessionId, long version)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(payloadTypes);
        ArgumentNullException.ThrowIfNull(ice);
        if (payloadTypes.Count == 0 || payloadTypes.Any(pt => pt is not (0 or 8)))
        {
            throw new ArgumentException("Offer PCMU (0) and/or PCMA (8).", nameof(payloadTypes));
        }

        var family = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IP6" : "IP4";
        var formats = string.Join(' ', payloadTypes.Append(TelephoneEventPayloadType).Select(pt => pt.ToString(CultureInfo.InvariantCulture)));
        var text = new StringBuilder()
            .Append("v=0\r\n")
            .Append(CultureInfo.InvariantCulture, $"o=callcenter {sessionId} {version} IN {family} {address}\r\n")
            .Append("s=callcenter\r\n")
            .Append("t=0 0\r\n")
            .Append("a=ice-lite\r\n")
            .Append("a=group:BUNDLE 0\r\n")
            .Append(CultureInfo.InvariantCulture, $"m=audio {port} UDP/TLS/RTP/SAVPF {formats}\r\n")
            .Append(CultureInfo.InvariantCulture, $"c=IN {family} {address}\r\n")
            .Append("a=mid:0\r\n")
            .Append("a=sendrecv\r\n")
            .Append("a=rtcp-mux\r\n")
            .Append(CultureInfo.InvariantCulture, $"a=ice-ufrag:{ice.Ufrag}\r\n")
            .Append(CultureInfo.InvariantCulture, $"a=ice-pwd:{ice.Password}\r\n")
            .Append(CultureInfo.InvariantCulture, $"a=fingerprint:sha-256 {fingerprint}\r\n")
            .Append("a=setup:actpass\r\n");
        foreach (var pt in payloadTypes)
        {
            text.Append(CultureInfo.InvariantCulture, $"a=rtpmap:{pt} {(pt == 0 ? "PCMU" : "PCMA")}/8000\r\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"a=rtpmap:{TelephoneEventPayloadType} telephone-event/8000\r\n")
            .Append(CultureInfo.InvariantCulture, $"a=fmtp:{TelephoneEventPayloadType} 0-15\r\n")
            .Append("a=ptime:20\r\n")
            .Append(CultureInfo.InvariantCulture, $"a=candidate:1 1 udp 2130706431 {address} {port} typ host\r\n")
            .Append("a=end-of-candidates\r\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }
}
