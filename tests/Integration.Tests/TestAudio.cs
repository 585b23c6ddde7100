namespace CallCenter.Integration.Tests;

/// <summary>What the tests play into calls and how they measure what came out.</summary>
internal static class TestAudio
{
    /// <summary>Mean absolute sample of each channel of a 16-bit stereo recording (silence averages under 10).</summary>
    public static (double Left, double Right) ChannelEnergy(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        double left = 0, right = 0;
        var frames = data.Length / 4;
        for (var i = 0; i < frames; i++)
        {
            left += Math.Abs((int)BitConverter.ToInt16(data, 4 * i));
            right += Math.Abs((int)BitConverter.ToInt16(data, (4 * i) + 2));
        }

        return (left / Math.Max(1, frames), right / Math.Max(1, frames));
    }

    /// <summary>Root mean square of 16-bit samples; 0 for none.</summary>
    public static double Rms(short[] samples) =>
        samples.Length == 0 ? 0 : Math.Sqrt(samples.Sum(s => (double)s * s) / samples.Length);

    /// <summary>Writes <paramref name="seconds"/> of a 440 Hz tone as an 8 kHz 16-bit mono WAV (what softphones take as a microphone).</summary>
    public static void WriteTone(string path, int seconds)
    {
        const int rate = 8000;
        var samples = rate * seconds;
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write("RIFF"u8);
        writer.Write(36 + (samples * 2));
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)1);
        writer.Write((short)1);
        writer.Write(rate);
        writer.Write(rate * 2);
        writer.Write((short)2);
        writer.Write((short)16);
        writer.Write("data"u8);
        writer.Write(samples * 2);
        for (var i = 0; i < samples; i++)
        {
            writer.Write((short)(8000 * Math.Sin(2 * Math.PI * 440 * i / rate)));
        }
    }

    /// <summary>
    /// The audio of an Ethernet/IPv4/UDP capture of RTP in G.711 A-law (sipp's <c>g711a.pcap</c>, what its
    /// <c>play_pcap_audio</c> sends), decoded packet after packet as the platform's recorder decodes it.
    /// </summary>
    public static short[] PcapALaw(string path)
    {
        var data = File.ReadAllBytes(path);
        var samples = new List<short>();
        for (var at = 24; at + 16 <= data.Length;)
        {
            var length = BitConverter.ToInt32(data, at + 8);
            var packet = data.AsSpan(at + 16, length);
            at += 16 + length;
            var ip = 14;
            var udp = ip + (4 * (packet[ip] & 0x0f));
            var rtp = udp + 8;
            var payload = rtp + 12 + (4 * (packet[rtp] & 0x0f));
            if ((packet[rtp] & 0x10) != 0)
            {
                payload += 4 + (4 * ((packet[payload + 2] << 8) | packet[payload + 3]));
            }

            if ((packet[rtp + 1] & 0x7f) == 8)
            {
                foreach (var code in packet[payload..])
                {
                    samples.Add(CallCenter.Telephony.Codecs.G711.ALawToLinear(code));
                }
            }
        }

        return [.. samples];
    }

    /// <summary>Where <paramref name="run"/> occurs sample for sample in <paramref name="audio"/>, or -1.</summary>
    public static int IndexOfRun(short[] audio, ReadOnlySpan<short> run) => audio.AsSpan().IndexOf(run);

    /// <summary>One channel (0 left, 1 right) of 16-bit stereo PCM, from <paramref name="fromSeconds"/> to <paramref name="toSeconds"/> at 8 kHz.</summary>
    public static short[] Channel(byte[] data, int channel, double fromSeconds, double toSeconds)
    {
        ArgumentNullException.ThrowIfNull(data);
        var frames = data.Length / 4;
        int from = Math.Clamp((int)(fromSeconds * 8000), 0, frames), to = Math.Clamp((int)(toSeconds * 8000), from, frames);
        var samples = new short[to - from];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BitConverter.ToInt16(data, (4 * (from + i)) + (2 * channel));
        }

        return samples;
    }
}
