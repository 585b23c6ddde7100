using System.Globalization;

namespace CallCenter.Telephony.WebRtc;

/// <summary>
/// What a browser's SDP answer tells the platform's WebRTC leg (RFC 8839, RFC 8842): its ICE
/// credentials, the fingerprint its DTLS certificate must match, that it takes the DTLS client's
/// part (<c>setup:active</c>), that RTCP is muxed, and the G.711 codec it chose. Where media goes is
/// not read from the SDP: ICE-lite learns it from the browser's checks.
/// </summary>
public sealed record WebRtcAnswer(string IceUfrag, string IcePassword, string Fingerprint, int PayloadType)
{
    /// <summary>Reads the answer, or says in <paramref name="refusal"/> why this leg cannot use it.</summary>
    public static WebRtcAnswer? TryRead(string sdp, out string? refusal)
    {
        ArgumentNullException.ThrowIfNull(sdp);
        string? ufrag = null, password = null, fingerprint = null, setup = null, protocol = null;
        var muxed = false;
        var formats = new List<int>();
        var audioLines = 0;
        foreach (var raw in sdp.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("m=", StringComparison.Ordinal))
            {
                var parts = line[2..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 4 && parts[0] == "audio" && audioLines++ == 0)
                {
                    protocol = parts[2];
                    formats.AddRange(parts[3..].Select(f => int.TryParse(f, NumberStyles.None, CultureInfo.InvariantCulture, out var pt) ? pt : -1));
                    if (parts[1] == "0")
                    {
                        refusal = "the browser declined the audio stream (port 0)";
                        return null;
                    }
                }

                continue;
            }

            // Session-level values hold unless the media section repeats them (RFC 8839 5.4, RFC 8122 5).
            ufrag = Value(line, "a=ice-ufrag:") ?? ufrag;
            password = Value(line, "a=ice-pwd:") ?? password;
            setup = Value(line, "a=setup:") ?? setup;
            muxed |= line == "a=rtcp-mux";
            if (Value(line, "a=fingerprint:") is { } print)
            {
                var space = print.IndexOf(' ', StringComparison.Ordinal);
                if (space > 0 && print[..space].Equals("sha-256", StringComparison.OrdinalIgnoreCase))
                {
                    fingerprint = print[(space + 1)..].Trim().ToUpperInvariant();
                }
            }
        }

        refusal = protocol is null ? "no audio stream"
            : protocol != "UDP/TLS/RTP/SAVPF" && protocol != "UDP/TLS/RTP/SAVP" ? $"the audio stream is {protocol}, not DTLS-SRTP"
            : ufrag is null || password is null ? "no ICE credentials (a=ice-ufrag, a=ice-pwd)"
            : fingerprint is null ? "no sha-256 fingerprint"
            : setup != "active" ? $"a=setup:{setup ?? "(none)"}: the browser must be the DTLS client (active)"
            : !muxed ? "RTCP is not muxed (a=rtcp-mux)"
            : !formats.Any(pt => pt is 0 or 8) ? "neither PCMU nor PCMA was chosen"
            : null;
        return refusal is null ? new WebRtcAnswer(ufrag!, password!, fingerprint!, formats.First(pt => pt is 0 or 8)) : null;
    }

    private static string? Value(string line, string prefix) =>
        line.StartsWith(prefix, StringComparison.Ordinal) ? line[prefix.Length..].Trim() : null;

    /// <summary>Never the ICE password.</summary>
    public override string ToString() => $"ufrag {IceUfrag}, fingerprint {Fingerprint}, payload type {PayloadType}";
}
