using System.Globalization;
using System.Text;

namespace CallCenter.Integration.Tests;

/// <summary>Key sequences for sipp scenarios: RFC 4733 events replayed from sipp's own captures.</summary>
internal static class DtmfKeys
{
    private const string Captures = "/usr/share/sip-tester";

    /// <summary>
    /// sipp's capture of <paramref name="key"/> with its RTP timestamp and sequence numbers moved to
    /// values of this press alone, rising press after press: a receiver takes packets with the
    /// timestamp of the event it has just seen as that event again (RFC 4733 2.5.1.1), and older
    /// sequence numbers as late packets (RFC 3550 A.1), so "00" replayed from one capture would be one key.
    /// </summary>
    private static string CaptureOf(string directory, string run, char key, int press)
    {
        var name = key switch { '#' => "pound", '*' => "star", _ => key.ToString() };
        var original = Path.Combine(Captures, $"dtmf_2833_{name}.pcap");
        Assert.That(File.Exists(original), Is.True, "sipp's DTMF captures are missing: scripts/test.sh installs sip-tester");
        var bytes = File.ReadAllBytes(original);
        Assert.That(BitConverter.ToUInt32(bytes, 20), Is.EqualTo(1u), "an Ethernet capture");
        var timestamp = 1_000_000u + (uint)press * 100_000u;
        var sequence = (ushort)(1_000 + (press * 20));
        for (var offset = 24; offset < bytes.Length;)
        {
            var length = (int)BitConverter.ToUInt32(bytes, offset + 8);
            var packet = offset + 16;
            var rtp = packet + 14 + ((bytes[packet + 14] & 0x0f) * 4) + 8;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(rtp + 2), sequence++);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(rtp + 4), timestamp);
            offset = packet + length;
        }

        // Each scenario's captures are its own files: two scenarios built one after the other for sipps started together
        // would otherwise rewrite the same file while the first sipp reads it, and that sipp fails before its first INVITE.
        var path = Path.Combine(directory, $"{run}-{press:D3}-{name}.pcap");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>
    /// The scenario steps for keys and pauses ("+1500" is 1.5 s), each key a capture of its own in
    /// <paramref name="directory"/>, 350 ms apart.
    /// </summary>
    public static string Steps(string directory, params string[] steps)
    {
        var xml = new StringBuilder();
        var run = Guid.NewGuid().ToString("N")[..12];
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
                var capture = CaptureOf(directory, run, key, ++press);
                xml.Append(CultureInfo.InvariantCulture, $"  <nop><action><exec play_pcap_audio=\"{capture}\" /></action></nop>\n  <pause milliseconds=\"350\" />\n");
            }
        }

        return xml.ToString();
    }
}
