using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using CallCenter.Telephony.Codecs;

namespace CallCenter.Integration.Tests;

/// <summary>
/// Key sequences for sipp scenarios as in-band DTMF: each key a capture of its own (Ethernet, IPv4,
/// UDP, RTP payload type 8) of 100 ms of the key's two tones in A-law then 60 ms of silence, written
/// here, with timestamps and sequence numbers rising press after press, for sipp's play_pcap_audio.
/// </summary>
internal static class InBandKeys
{
    private const int Frame = 160;

    private static readonly Dictionary<char, (double Row, double Column)> _tones = new()
    {
        ['1'] = (697, 1209),
        ['2'] = (697, 1336),
        ['3'] = (697, 1477),
        ['4'] = (770, 1209),
        ['5'] = (770, 1336),
        ['6'] = (770, 1477),
        ['7'] = (852, 1209),
        ['8'] = (852, 1336),
        ['9'] = (852, 1477),
        ['*'] = (941, 1209),
        ['0'] = (941, 1336),
        ['#'] = (941, 1477),
    };

    /// <summary>The scenario steps for keys and pauses ("+1500" is 1.5 s), keys 350 ms apart.</summary>
    public static string Steps(string directory, params string[] steps)
    {
        var xml = new StringBuilder();
        var press = 0;
        foreach (var step in steps)
        {
            if (step.StartsWith('+'))
            {
                xml.Append(CultureInfo.InvariantCulture, $"  <pause milliseconds=\"{step[1..]}\" />\n");
                continue;
            }

            foreach (var key in step)
            {
                var path = Path.Combine(directory, $"inband-{++press:D3}.pcap");
                File.WriteAllBytes(path, Capture(key, press));
                xml.Append(CultureInfo.InvariantCulture, $"  <nop><action><exec play_pcap_audio=\"{path}\" /></action></nop>\n  <pause milliseconds=\"350\" />\n");
            }
        }

        return xml.ToString();
    }

    /// <summary>The two tones of <paramref name="key"/> (each about -10 dBm0), 100 ms, then 60 ms of silence.</summary>
    public static short[] Tone(char key, int toneSamples = 800, int silenceSamples = 480)
    {
        var (row, column) = _tones[key];
        var samples = new short[toneSamples + silenceSamples];
        for (var i = 0; i < toneSamples; i++)
        {
            var t = i / 8000.0;
            samples[i] = (short)(7000 * (Math.Sin(2 * Math.PI * row * t) + Math.Sin(2 * Math.PI * column * t)));
        }

        return samples;
    }

    private static byte[] Capture(char key, int press)
    {
        var pcm = Tone(key);
        var packets = pcm.Length / Frame;
        using var file = new MemoryStream();
        var header = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xa1b2c3d4);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), 1); // Ethernet
        file.Write(header);
        var timestamp = 2_000_000u + ((uint)press * 100_000u);
        var sequence = (ushort)(20_000 + (press * 20));
        for (var p = 0; p < packets; p++)
        {
            var rtp = new byte[12 + Frame];
            rtp[0] = 0x80;
            rtp[1] = 8; // PCMA
            BinaryPrimitives.WriteUInt16BigEndian(rtp.AsSpan(2), sequence++);
            BinaryPrimitives.WriteUInt32BigEndian(rtp.AsSpan(4), timestamp + (uint)(p * Frame));
            BinaryPrimitives.WriteUInt32BigEndian(rtp.AsSpan(8), 0x1234abcd);
            G711.Encode(pcm.AsSpan(p * Frame, Frame), rtp.AsSpan(12), G711Law.ALaw);
            var udpLength = 8 + rtp.Length;
            var ipLength = 20 + udpLength;
            var frame = new byte[14 + ipLength];
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0800);
            var ip = frame.AsSpan(14);
            ip[0] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)ipLength);
            ip[8] = 64;
            ip[9] = 17;
            ip[12] = 127; ip[15] = 1;
            ip[16] = 127; ip[19] = 1;
            var udp = ip[20..];
            BinaryPrimitives.WriteUInt16BigEndian(udp, 6000);
            BinaryPrimitives.WriteUInt16BigEndian(udp[2..], 6002);
            BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)udpLength);
            rtp.CopyTo(udp[8..]);
            var record = new byte[16];
            var micros = p * 20_000;
            BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)(1_700_000_000 + (micros / 1_000_000)));
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), (uint)(micros % 1_000_000));
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), (uint)frame.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12), (uint)frame.Length);
            file.Write(record);
            file.Write(frame);
        }

        return file.ToArray();
    }
}
