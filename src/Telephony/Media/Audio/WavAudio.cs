using System.Buffers.Binary;
using CallCenter.Telephony.Codecs;

namespace CallCenter.Telephony.Media.Audio;

/// <summary>The audio of a WAV file: its format and its data chunk, samples interleaved.</summary>
public sealed class WavAudio
{
    public WavAudio(WavFormat format, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        format.Validate();
        if (data.Length % format.BlockAlign != 0)
        {
            throw new ArgumentException($"Data length {data.Length} is not a multiple of the frame size {format.BlockAlign}.", nameof(data));
        }

        Format = format;
        Data = data;
    }

    public WavFormat Format { get; }

    /// <summary>The data chunk as stored: little-endian 16-bit samples, or G.711 codes.</summary>
    public byte[] Data { get; }

    /// <summary>Sample frames (one sample per channel each).</summary>
    public int FrameCount => Data.Length / Format.BlockAlign;

    public TimeSpan Duration => TimeSpan.FromSeconds((double)FrameCount / Format.SampleRate);

    /// <summary>The samples as 16-bit linear PCM, interleaved, decoding G.711 if need be.</summary>
    public short[] ToLinear()
    {
        var samples = new short[FrameCount * Format.Channels];
        if (Format.Encoding == WavEncoding.Pcm16)
        {
            for (var i = 0; i < samples.Length; i++)
            {
                samples[i] = BinaryPrimitives.ReadInt16LittleEndian(Data.AsSpan(2 * i));
            }
        }
        else
        {
            G711.Decode(Data, samples, Format.Law);
        }

        return samples;
    }
}
