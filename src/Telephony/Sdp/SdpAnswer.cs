using System.Globalization;
using System.Net;
using System.Text;

namespace CallCenter.Telephony.Sdp;

/// <summary>
/// Our answer to an offer (RFC 3264 6): G.711 µ-law or A-law in the offerer's order of
/// preference, telephone-event (RFC 4733) when offered, ptime 20.
/// </summary>
public sealed record SdpAnswer(int PayloadType, string Codec, int? TelephoneEventPayloadType, SdpDirection Direction)
{
    public const int Pcmu = 0;
    public const int Pcma = 8;

    /// <summary>The answer, or null when the offer has no codec we speak (the caller answers 488).</summary>
    public static SdpAnswer? Choose(SdpOffer offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        int? chosen = null;
        int? events = null;
        foreach (var pt in offer.PayloadTypes)
        {
            var name = offer.RtpMaps.TryGetValue(pt, out var map) ? map : StaticName(pt);
            if (chosen is null && IsCodec(name, "PCMU") || chosen is null && IsCodec(name, "PCMA"))
            {
                chosen = pt;
            }
            else if (events is null && name is not null && name.StartsWith("telephone-event/8000", StringComparison.OrdinalIgnoreCase))
            {
                events = pt;
            }
        }

        if (chosen is null)
        {
            return null;
        }

        var codec = IsCodec(offer.RtpMaps.GetValueOrDefault(chosen.Value) ?? StaticName(chosen.Value), "PCMU") ? "PCMU" : "PCMA";

        // RFC 3264 6.1: a sendonly offer is answered recvonly, recvonly with sendonly.
        return new SdpAnswer(chosen.Value, codec, events, offer.Direction.Answer());
    }

    /// <summary>
    /// The session description text for this answer, with our media address and port; with
    /// <paramref name="crypto"/> (SRTP) our key in <c>a=crypto</c> on an m= line of <paramref name="profile"/>.
    /// </summary>
    public byte[] Write(IPAddress address, int port, long sessionId, long version, SdesCrypto? crypto = null, string profile = "RTP/AVP")
    {
        ArgumentNullException.ThrowIfNull(address);
        var formats = TelephoneEventPayloadType is int te
            ? string.Create(CultureInfo.InvariantCulture, $"{PayloadType} {te}")
            : PayloadType.ToString(CultureInfo.InvariantCulture);
        var sdp = SessionHead(address, port, crypto is null ? "RTP/AVP" : profile, formats, sessionId, version)
            .Append(CultureInfo.InvariantCulture, $"a=rtpmap:{PayloadType} {Codec}/8000\r\n");
        if (TelephoneEventPayloadType is int events)
        {
            sdp.Append(CultureInfo.InvariantCulture, $"a=rtpmap:{events} telephone-event/8000\r\n")
               .Append(CultureInfo.InvariantCulture, $"a=fmtp:{events} 0-16\r\n");
        }

        sdp.Append("a=ptime:20\r\n").Append(CultureInfo.InvariantCulture, $"a={Direction.ToAttribute()}\r\n");
        if (crypto is not null)
        {
            sdp.Append(CultureInfo.InvariantCulture, $"a=crypto:{crypto.Format()}\r\n");
        }

        return Encoding.ASCII.GetBytes(sdp.ToString());
    }

    /// <summary>The lines up to m= that our offers and answers share (RFC 4566 5): origin, connection, one audio stream.</summary>
    internal static StringBuilder SessionHead(IPAddress address, int port, string profile, string formats, long sessionId, long version)
    {
        var ipVersion = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IP6" : "IP4";
        return new StringBuilder()
            .Append("v=0\r\n")
            .Append(CultureInfo.InvariantCulture, $"o=CallCenter {sessionId} {version} IN {ipVersion} {address}\r\n")
            .Append("s=CallCenter\r\n")
            .Append(CultureInfo.InvariantCulture, $"c=IN {ipVersion} {address}\r\n")
            .Append("t=0 0\r\n")
            .Append(CultureInfo.InvariantCulture, $"m=audio {port} {profile} {formats}\r\n");
    }

    /// <summary>The RTP session's format for this answer.</summary>
    public Rtp.RtpMediaFormat ToMediaFormat() =>
        new(PayloadType, Codec == "PCMU" ? Codecs.G711Law.MuLaw : Codecs.G711Law.ALaw, TelephoneEventPayloadType);

    private static bool IsCodec(string? rtpMap, string codec) =>
        rtpMap is not null && rtpMap.StartsWith(codec + "/8000", StringComparison.OrdinalIgnoreCase);

    // RFC 3551 table 4: static payload types need no rtpmap.
    private static string? StaticName(int pt) => pt switch
    {
        Pcmu => "PCMU/8000",
        Pcma => "PCMA/8000",
        _ => null,
    };
}
