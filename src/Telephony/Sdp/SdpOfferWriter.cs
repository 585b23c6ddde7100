using System.Globalization;
using System.Net;
using System.Text;

namespace CallCenter.Telephony.Sdp;

/// <summary>
/// Our offer for a call we place (RFC 3264 5): G.711 in the order given (the other party's codec
/// first, so the relay need not transcode), telephone-event 101 (RFC 4733), ptime 20.
/// </summary>
public static class SdpOfferWriter
{
    public const int TelephoneEventPayloadType = 101;

    /// <summary>
    /// The offer's text; <paramref name="payloadTypes"/> are 0 (PCMU) and/or 8 (PCMA), preferred first.
    /// With <paramref name="crypto"/> the offer is RTP/SAVP with our key (SRTP required: a phone that
    /// cannot do it answers 488).
    /// </summary>
    public static byte[] Write(IPAddress address, int port, IReadOnlyList<int> payloadTypes, long sessionId, long version, string direction = "sendrecv", SdesCrypto? crypto = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(payloadTypes);
        if (payloadTypes.Count == 0 || payloadTypes.Any(pt => pt is not (SdpAnswer.Pcmu or SdpAnswer.Pcma)))
        {
            throw new ArgumentException("Offer PCMU (0) and/or PCMA (8).", nameof(payloadTypes));
        }

        var formats = string.Join(' ', payloadTypes.Append(TelephoneEventPayloadType).Select(pt => pt.ToString(CultureInfo.InvariantCulture)));
        var sdp = SdpAnswer.SessionHead(address, port, crypto is null ? "RTP/AVP" : "RTP/SAVP", formats, sessionId, version);
        foreach (var pt in payloadTypes)
        {
            sdp.Append(CultureInfo.InvariantCulture, $"a=rtpmap:{pt} {(pt == SdpAnswer.Pcmu ? "PCMU" : "PCMA")}/8000\r\n");
        }

        sdp.Append(CultureInfo.InvariantCulture, $"a=rtpmap:{TelephoneEventPayloadType} telephone-event/8000\r\n")
            .Append(CultureInfo.InvariantCulture, $"a=fmtp:{TelephoneEventPayloadType} 0-16\r\n")
            .Append("a=ptime:20\r\n")
            .Append(CultureInfo.InvariantCulture, $"a={direction}\r\n");
        if (crypto is not null)
        {
            sdp.Append(CultureInfo.InvariantCulture, $"a=crypto:{crypto.Format()}\r\n");
        }

        return Encoding.ASCII.GetBytes(sdp.ToString());
    }
}
