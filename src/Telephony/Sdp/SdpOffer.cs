using System.Globalization;
using System.Net;
using System.Text;

namespace CallCenter.Telephony.Sdp;

/// <summary>The audio stream of a remote session description (RFC 4566): where to send and what it can take.</summary>
public sealed record SdpOffer(IPAddress Address, int Port, IReadOnlyList<int> PayloadTypes, IReadOnlyDictionary<int, string> RtpMaps, SdpDirection Direction)
{
    private const int MaxBodyBytes = 16 * 1024;

    /// <summary>The m= line's transport: <c>RTP/AVP</c>, or <c>RTP/SAVP</c> for SRTP (RFC 3711 12), or the feedback profiles.</summary>
    public string Profile { get; init; } = "RTP/AVP";

    /// <summary>Whether the m= line asks for SRTP (RTP/SAVP or RTP/SAVPF): answering it without keys is a failure.</summary>
    public bool RequiresSrtp => Profile is "RTP/SAVP" or "RTP/SAVPF";

    /// <summary>The first <c>a=crypto</c> of the audio stream we can use (RFC 4568), or null.</summary>
    public SdesCrypto? Crypto { get; init; }

    /// <summary>Whether the audio stream had any <c>a=crypto</c> line, usable or not.</summary>
    public bool CryptoOffered { get; init; }

    /// <summary>
    /// Reads the first m=audio line with its connection address (media-level c= over session-level),
    /// rtpmap attributes and direction. Null when the body is not SDP we can use; never throws.
    /// </summary>
    public static SdpOffer? TryParse(ReadOnlySpan<byte> body)
    {
        if (body.Length is 0 or > MaxBodyBytes)
        {
            return null;
        }

        IPAddress? sessionAddress = null;
        IPAddress? mediaAddress = null;
        var port = -1;
        List<int>? payloadTypes = null;
        var rtpMaps = new Dictionary<int, string>();
        var direction = SdpDirection.SendRecv;
        var inAudio = false;
        var seenVersion = false;
        var profile = "RTP/AVP";
        SdesCrypto? crypto = null;
        var cryptoOffered = false;

        foreach (var rawLine in Encoding.UTF8.GetString(body).Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Length < 2 || line[1] != '=')
            {
                continue;
            }

            var value = line[2..];
            switch (line[0])
            {
                case 'v':
                    seenVersion = value == "0";
                    break;
                case 'c':
                    var address = ParseConnection(value);
                    if (payloadTypes is null)
                    {
                        sessionAddress = address;
                    }
                    else if (inAudio)
                    {
                        mediaAddress = address;
                    }

                    break;
                case 'm':
                    if (payloadTypes is not null)
                    {
                        inAudio = false; // only the first audio stream is used
                        break;
                    }

                    var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length >= 4 && parts[0] == "audio" && parts[2].StartsWith("RTP/", StringComparison.Ordinal)
                        && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535)
                    {
                        payloadTypes = [];
                        profile = parts[2];
                        foreach (var format in parts.AsSpan(3))
                        {
                            if (int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out var pt) && pt <= 127)
                            {
                                payloadTypes.Add(pt);
                            }
                        }

                        inAudio = true;
                    }

                    break;
                case 'a' when inAudio || payloadTypes is null:
                    if (value.StartsWith("rtpmap:", StringComparison.Ordinal))
                    {
                        var space = value.IndexOf(' ', StringComparison.Ordinal);
                        if (space > 7 && int.TryParse(value.AsSpan(7, space - 7), NumberStyles.None, CultureInfo.InvariantCulture, out var pt))
                        {
                            rtpMaps[pt] = value[(space + 1)..].Trim();
                        }
                    }
                    else if (inAudio && value.StartsWith("crypto:", StringComparison.Ordinal))
                    {
                        // RFC 4568 5.1: a media-level attribute; the offerer lists them by preference.
                        cryptoOffered = true;
                        crypto ??= SdesCrypto.TryParse(value["crypto:".Length..]);
                    }
                    else if (SdpDirections.TryParse(value, out var stated))
                    {
                        direction = stated;
                    }

                    break;
                default:
                    break;
            }
        }

        var connection = mediaAddress ?? sessionAddress;
        return seenVersion && payloadTypes is not null && connection is not null
            ? new SdpOffer(connection, port, payloadTypes, rtpMaps, direction) { Profile = profile, Crypto = crypto, CryptoOffered = cryptoOffered }
            : null;
    }

    private static IPAddress? ParseConnection(string value)
    {
        // c=IN IP4 192.0.2.1 (RFC 4566 5.7); a multicast TTL suffix /127 is cut off.
        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3 || parts[0] != "IN" || parts[1] is not ("IP4" or "IP6"))
        {
            return null;
        }

        var host = parts[2];
        var slash = host.IndexOf('/', StringComparison.Ordinal);
        return IPAddress.TryParse(slash < 0 ? host : host[..slash], out var address) ? address : null;
    }
}
