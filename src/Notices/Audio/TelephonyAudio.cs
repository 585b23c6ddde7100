using NAudio.Codecs;
using NAudio.Wave;
using NAudio.Wave.SampleProviders;

namespace CallCenter.Notices.Audio;

/// <summary>
/// Turns a WAV file in any common encoding (PCM 8/16/24/32-bit, IEEE float 32/64-bit, A-law, µ-law,
/// WAVE_FORMAT_EXTENSIBLE of these; mono or stereo; any sample rate) into what G.711 carries: 8 kHz
/// mono 16-bit linear samples. NAudio's managed parts do the work (WaveFileReader, the sample
/// converters, StereoToMonoSampleProvider, the WDL resampler, which low-pass filters before it
/// decimates); nothing here needs a sound card or Windows. A file that is not such a WAV is refused
/// with the reason, never half converted.
/// </summary>
internal static class TelephonyAudio
{
    public const int SampleRate = 8000;

    /// <summary>Converts <paramref name="wav"/>; the samples, or the reason it was refused.</summary>
    public static AudioConversion Convert(byte[] wav, TimeSpan longest)
    {
        ArgumentNullException.ThrowIfNull(wav);
        if (wav.Length < 44 || !wav.AsSpan(0, 4).SequenceEqual("RIFF"u8) || !wav.AsSpan(8, 4).SequenceEqual("WAVE"u8))
        {
            return AudioConversion.Refused("the file is not a WAV file (no RIFF/WAVE header)");
        }

        try
        {
            using var reader = new WaveFileReader(new MemoryStream(wav, writable: false));
            var format = reader.WaveFormat;
            if (format.Channels is < 1 or > 2)
            {
                return AudioConversion.Refused($"the WAV has {format.Channels} channels; only mono and stereo are taken");
            }

            if (format.SampleRate is < 4000 or > 384_000)
            {
                return AudioConversion.Refused($"the WAV's sample rate {format.SampleRate} Hz is outside 4000–384000 Hz");
            }

            if (reader.TotalTime > longest)
            {
                return AudioConversion.Refused($"the recording lasts {reader.TotalTime.TotalSeconds:0} s; at most {longest.TotalSeconds:0} s is taken");
            }

            var source = SamplesOf(reader);
            if (source is null)
            {
                return AudioConversion.Refused($"the WAV's encoding {format.Encoding} ({format.BitsPerSample}-bit) is not supported: use PCM, IEEE float, A-law or µ-law");
            }

            if (source.WaveFormat.Channels == 2)
            {
                source = new StereoToMonoSampleProvider(source) { LeftVolume = 0.5f, RightVolume = 0.5f };
            }

            if (source.WaveFormat.SampleRate != SampleRate)
            {
                source = new WdlResamplingSampleProvider(source, SampleRate);
            }

            var samples = ReadAll(source, (int)Math.Ceiling(longest.TotalSeconds * SampleRate) + SampleRate);
            return samples.Length == 0
                ? AudioConversion.Refused("the WAV holds no audio")
                : AudioConversion.Done(samples);
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or EndOfStreamException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            // WaveFileReader's words for a malformed header ("Invalid WAV file - No fmt chunk found", ...).
            return AudioConversion.Refused("the WAV file is malformed: " + e.Message);
        }
    }

    /// <summary>The file's samples as floats, or null for an encoding no converter takes.</summary>
    private static ISampleProvider? SamplesOf(WaveFileReader reader)
    {
        var format = reader.WaveFormat;
        if (format.Encoding is WaveFormatEncoding.ALaw or WaveFormatEncoding.MuLaw && format.BitsPerSample == 8)
        {
            // G.711 in a WAV: NAudio's decoders give 16-bit linear, then as PCM.
            var bytes = new byte[reader.Length];
            var read = reader.Read(bytes, 0, bytes.Length);
            var linear = new byte[read * 2];
            for (var i = 0; i < read; i++)
            {
                var sample = format.Encoding == WaveFormatEncoding.ALaw ? ALawDecoder.ALawToLinearSample(bytes[i]) : MuLawDecoder.MuLawToLinearSample(bytes[i]);
                BitConverter.TryWriteBytes(linear.AsSpan(i * 2), sample);
            }

            return new RawSourceWaveStream(new MemoryStream(linear), new WaveFormat(format.SampleRate, 16, format.Channels)).ToSampleProvider();
        }

        var encoding = format.Encoding == WaveFormatEncoding.Extensible ? SubFormatOf(format) : format.Encoding;
        var supported = encoding switch
        {
            WaveFormatEncoding.Pcm => format.BitsPerSample is 8 or 16 or 24 or 32,
            WaveFormatEncoding.IeeeFloat => format.BitsPerSample is 32 or 64,
            _ => false,
        };
        if (!supported)
        {
            return null;
        }

        // WAVE_FORMAT_EXTENSIBLE of PCM or float is the same bytes under the plain format's name.
        return format.Encoding == WaveFormatEncoding.Extensible
            ? new RawSourceWaveStream(reader, encoding == WaveFormatEncoding.IeeeFloat
                ? WaveFormat.CreateCustomFormat(WaveFormatEncoding.IeeeFloat, format.SampleRate, format.Channels, format.AverageBytesPerSecond, format.BlockAlign, format.BitsPerSample)
                : new WaveFormat(format.SampleRate, format.BitsPerSample, format.Channels)).ToSampleProvider()
            : reader.ToSampleProvider();
    }

    /// <summary>
    /// The encoding a WAVE_FORMAT_EXTENSIBLE header names: its SubFormat GUID (after cbSize's 22 bytes of
    /// valid bits and channel mask) starts with the plain format tag. Anything else is left as Extensible.
    /// </summary>
    private static WaveFormatEncoding SubFormatOf(WaveFormat format)
    {
        var extra = format switch
        {
            WaveFormatExtensible extensible => extensible.SubFormat.ToByteArray(),
            WaveFormatExtraData data when data.ExtraData.Length >= 22 => data.ExtraData[6..22],
            _ => null,
        };
        return extra is null ? WaveFormatEncoding.Extensible : (WaveFormatEncoding)BitConverter.ToUInt16(extra, 0) switch
        {
            WaveFormatEncoding.Pcm => WaveFormatEncoding.Pcm,
            WaveFormatEncoding.IeeeFloat => WaveFormatEncoding.IeeeFloat,
            _ => WaveFormatEncoding.Extensible,
        };
    }

    private static short[] ReadAll(ISampleProvider source, int most)
    {
        var output = new List<short>(SampleRate * 10);
        var buffer = new float[SampleRate];
        int read;
        while (output.Count < most && (read = source.Read(buffer.AsSpan())) > 0)
        {
            foreach (var sample in buffer.AsSpan(0, read))
            {
                output.Add((short)Math.Clamp(MathF.Round(sample * 32767f), short.MinValue, short.MaxValue));
            }
        }

        return [.. output];
    }
}
