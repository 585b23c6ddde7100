using System.Buffers.Binary;

namespace CallCenter.TestSupport;

/// <summary>WAV files made in memory for the tests that upload recordings.</summary>
public static class TestWav
{
    /// <summary>A 16-bit PCM WAV of a tone at half scale in every channel.</summary>
    public static byte[] Tone(int rate, int channels, double seconds, double frequency)
    {
        var frames = (int)(rate * seconds);
        var data = frames * channels * 2;
        var wav = new byte[44 + data];
        "RIFF"u8.CopyTo(wav);
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(4), 36 + data);
        "WAVEfmt "u8.CopyTo(wav.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(16), 16);
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(20), 1);
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(22), (short)channels);
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(24), rate);
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(28), rate * channels * 2);
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(32), (short)(channels * 2));
        BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(34), 16);
        "data"u8.CopyTo(wav.AsSpan(36));
        BinaryPrimitives.WriteInt32LittleEndian(wav.AsSpan(40), data);
        for (var i = 0; i < frames; i++)
        {
            var sample = (short)(16000 * Math.Sin(2 * Math.PI * frequency * i / rate));
            for (var c = 0; c < channels; c++)
            {
                BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(44 + (((i * channels) + c) * 2)), sample);
            }
        }

        return wav;
    }
}
