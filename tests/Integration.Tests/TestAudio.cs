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
}
