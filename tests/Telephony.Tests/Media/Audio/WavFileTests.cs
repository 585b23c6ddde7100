using System.Buffers.Binary;
using CallCenter.Telephony.Codecs;
using CallCenter.Telephony.Media.Audio;

namespace CallCenter.Telephony.Tests.Media.Audio;

public sealed class WavFileTests
{
    [Test]
    public void Pcm16MonoRoundTrips()
    {
        short[] samples = [0, 1, -1, short.MaxValue, short.MinValue, 1234, -4321];
        var stream = new MemoryStream();
        WavFile.WritePcm16(stream, 8000, 1, samples);

        stream.Position = 0;
        var audio = WavFile.Read(stream);

        Assert.That(audio.Format, Is.EqualTo(new WavFormat(WavEncoding.Pcm16, 8000, 1)));
        Assert.That(audio.FrameCount, Is.EqualTo(samples.Length));
        Assert.That(audio.ToLinear(), Is.EqualTo(samples));
        Assert.That(stream.Length, Is.EqualTo(44 + (2 * samples.Length)));
    }

    [Test]
    public void Pcm16StereoRoundTripsInterleaved()
    {
        short[] samples = [1, -1, 2, -2, 3, -3];
        var stream = new MemoryStream();
        WavFile.WritePcm16(stream, 16000, 2, samples);

        stream.Position = 0;
        var audio = WavFile.Read(stream);

        Assert.That(audio.Format, Is.EqualTo(new WavFormat(WavEncoding.Pcm16, 16000, 2)));
        Assert.That(audio.FrameCount, Is.EqualTo(3));
        Assert.That(audio.ToLinear(), Is.EqualTo(samples));
        Assert.That(audio.Duration, Is.EqualTo(TimeSpan.FromSeconds(3.0 / 16000)));
    }

    [TestCase(G711Law.MuLaw, 7)]
    [TestCase(G711Law.ALaw, 6)]
    public void G711RoundTripsWithItsFormatTagAndFactChunk(G711Law law, int tag)
    {
        byte[] codes = [0x00, 0x7F, 0x80, 0xFF, 0xD5, 0x55, 0x2A];
        var stream = new MemoryStream();
        WavFile.WriteG711(stream, law, 8000, codes);
        var bytes = stream.ToArray();

        Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(20)), Is.EqualTo(tag));
        Assert.That(bytes.AsSpan(38, 4).SequenceEqual("fact"u8), Is.True);
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(46)), Is.EqualTo(codes.Length));
        Assert.That(bytes, Has.Length.EqualTo(58 + codes.Length + 1), "odd data is padded to an even length");
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)), Is.EqualTo(bytes.Length - 8));

        var audio = WavFile.Read(new MemoryStream(bytes));
        Assert.That(audio.Format, Is.EqualTo(WavFormat.ForG711(law)));
        Assert.That(audio.Data, Is.EqualTo(codes));
        Assert.That(audio.ToLinear(), Is.EqualTo(codes.Select(c => G711.ToLinear(c, law))));
    }

    [Test]
    public void ReadsAFileWrittenByFfmpegWithAListChunk()
    {
        // The header ffmpeg (libavformat 58.76.100) writes for 8 kHz mono s16le: fmt of 16 bytes,
        // then a LIST/INFO chunk naming the software, then data.
        byte[] file =
        [
            .. "RIFF"u8, 0x4E, 0x00, 0x00, 0x00, .. "WAVE"u8,
            .. "fmt "u8, 0x10, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x40, 0x1F, 0x00, 0x00,
            0x80, 0x3E, 0x00, 0x00, 0x02, 0x00, 0x10, 0x00,
            .. "LIST"u8, 0x1A, 0x00, 0x00, 0x00, .. "INFOISFT"u8, 0x0E, 0x00, 0x00, 0x00,
            .. "Lavf58.76.100"u8, 0x00,
            .. "data"u8, 0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0xFF, 0xFF, 0x00, 0x80, 0xFF, 0x7F,
        ];

        var audio = WavFile.Read(new MemoryStream(file));

        Assert.That(audio.Format, Is.EqualTo(WavFormat.Telephony));
        Assert.That(audio.ToLinear(), Is.EqualTo(new short[] { 1, -1, short.MinValue, short.MaxValue }));
    }

    [Test]
    public void ReadsAMuLawFileWrittenBySoxWithAnOddSizedChunkBeforeTheData()
    {
        // sox writes non-PCM formats with an 18-byte fmt (cbSize 0) and a fact chunk; an odd-sized
        // unknown chunk is followed by its pad byte (RIFF).
        byte[] file =
        [
            .. "RIFF"u8, 0x00, 0x00, 0x00, 0x00, .. "WAVE"u8,
            .. "fmt "u8, 0x12, 0x00, 0x00, 0x00, 0x07, 0x00, 0x01, 0x00, 0x40, 0x1F, 0x00, 0x00,
            0x40, 0x1F, 0x00, 0x00, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00,
            .. "fact"u8, 0x04, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
            .. "junk"u8, 0x03, 0x00, 0x00, 0x00, 0xAA, 0xBB, 0xCC, 0x00,
            .. "data"u8, 0x03, 0x00, 0x00, 0x00, 0xFF, 0x00, 0x80, 0x00,
        ];

        var audio = WavFile.Read(new NonSeekableStream(file));

        Assert.That(audio.Format, Is.EqualTo(new WavFormat(WavEncoding.MuLaw, 8000, 1)));
        Assert.That(audio.ToLinear(), Is.EqualTo(new short[] { 0, -32124, 32124 }));
    }

    [Test]
    public void ReadsWaveFormatExtensiblePcm()
    {
        var file = new MemoryStream();
        WavFile.WritePcm16(file, 8000, 1, [5, 6]);
        var pcm = file.ToArray();

        // Rebuild it with a 40-byte WAVE_FORMAT_EXTENSIBLE fmt whose sub-format is PCM.
        var fmt = new byte[40];
        pcm.AsSpan(20, 16).CopyTo(fmt);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt, 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(16), 22);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(24), 1);
        byte[] extensible = [.. "RIFF"u8, 0, 0, 0, 0, .. "WAVE"u8, .. "fmt "u8, 40, 0, 0, 0, .. fmt, .. pcm.AsSpan(36)];

        Assert.That(WavFile.Read(new MemoryStream(extensible)).ToLinear(), Is.EqualTo(new short[] { 5, 6 }));
    }

    private static IEnumerable<TestCaseData> HostileFiles()
    {
        byte[] Fmt(ushort tag, ushort channels, uint rate, ushort blockAlign, ushort bits)
        {
            var fmt = new byte[24];
            "fmt "u8.CopyTo(fmt);
            BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(4), 16);
            BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(8), tag);
            BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(10), channels);
            BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(12), rate);
            BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(16), rate * blockAlign);
            BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(20), blockAlign);
            BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(22), bits);
            return fmt;
        }

        byte[] Data(uint declared, int present) =>
            [.. "data"u8, (byte)declared, (byte)(declared >> 8), (byte)(declared >> 16), (byte)(declared >> 24), .. new byte[present]];

        byte[] riff = [.. "RIFF"u8, 0, 0, 0, 0, .. "WAVE"u8];
        var pcm = Fmt(1, 1, 8000, 2, 16);

        yield return new TestCaseData(Array.Empty<byte>(), "shorter than the 12-byte RIFF header").SetName("Empty");
        yield return new TestCaseData((byte[])[.. "RIFX"u8, 0, 0, 0, 0, .. "WAVE"u8], "'RIFX', not 'RIFF'").SetName("BigEndianRifx");
        yield return new TestCaseData((byte[])[.. "RIFF"u8, 0, 0, 0, 0, .. "AVI "u8], "not 'WAVE'").SetName("NotWave");
        yield return new TestCaseData(riff, "No 'fmt ' chunk").SetName("NoChunks");
        yield return new TestCaseData((byte[])[.. riff, .. pcm], "No 'data' chunk").SetName("NoData");
        yield return new TestCaseData((byte[])[.. riff, .. Data(2, 2), .. pcm], "before the 'fmt ' chunk").SetName("DataBeforeFmt");
        yield return new TestCaseData((byte[])[.. riff, .. "fmt "u8, 8, 0, 0, 0, .. new byte[8]], "'fmt ' chunk is 8 bytes").SetName("FmtTooShort");
        yield return new TestCaseData((byte[])[.. riff, .. "fmt "u8, 0, 0, 0, 0x7F, .. new byte[8]], "'fmt ' chunk is").SetName("FmtHuge");
        yield return new TestCaseData((byte[])[.. riff, .. Fmt(3, 1, 8000, 4, 32), .. Data(4, 4)], "format tag 3").SetName("FloatFormat");
        yield return new TestCaseData((byte[])[.. riff, .. Fmt(1, 1, 8000, 1, 8), .. Data(4, 4)], "8 bits per sample; 16 expected").SetName("EightBitPcm");
        yield return new TestCaseData((byte[])[.. riff, .. Fmt(7, 1, 8000, 1, 16), .. Data(4, 4)], "16 bits per sample; 8 expected").SetName("SixteenBitMuLaw");
        yield return new TestCaseData((byte[])[.. riff, .. Fmt(1, 0, 8000, 0, 16), .. Data(4, 4)], "channel count 0").SetName("NoChannels");
        yield return new TestCaseData((byte[])[.. riff, .. Fmt(1, 1, 0, 2, 16), .. Data(4, 4)], "sample rate 0").SetName("NoSampleRate");
        yield return new TestCaseData((byte[])[.. riff, .. Fmt(1, 2, 8000, 2, 16), .. Data(4, 4)], "block align 2").SetName("WrongBlockAlign");
        yield return new TestCaseData((byte[])[.. riff, .. pcm, .. Data(1000, 10)], "Truncated WAV data").SetName("TruncatedData");
        yield return new TestCaseData((byte[])[.. riff, .. pcm, .. Data(3, 3)], "not a multiple of the frame size").SetName("PartialFrame");
        yield return new TestCaseData((byte[])[.. riff, .. pcm, .. Data(0xFFFFFFF0, 10)], "over the").SetName("HugeDataDeclared");
        yield return new TestCaseData((byte[])[.. riff, .. pcm, .. "LIST"u8, 100, 0, 0, 0, 1, 2, 3], "chunk 'LIST' declares 100 bytes").SetName("TruncatedListChunk");
        yield return new TestCaseData((byte[])[.. riff, .. "fmt "u8, 16, 0, 0, 0, 1, 0, 1, 0], "'fmt ' chunk declares 16 bytes").SetName("TruncatedFmt");
    }

    [TestCaseSource(nameof(HostileFiles))]
    public void RejectsMalformedFilesNamingTheFault(byte[] file, string fault)
    {
        Assert.That(() => WavFile.Read(new MemoryStream(file)), Throws.TypeOf<InvalidDataException>().With.Message.Contains(fault));
        Assert.That(() => WavFile.Read(new NonSeekableStream(file)), Throws.TypeOf<InvalidDataException>().With.Message.Contains(fault));
    }

    [Test]
    public void RefusesToWriteDataThatIsNotWholeFrames()
    {
        Assert.That(() => WavFile.Write(new MemoryStream(), WavFormat.Recording, new byte[6]), Throws.ArgumentException);
        Assert.That(() => WavFile.Write(new MemoryStream(), new WavFormat(WavEncoding.Pcm16, 8000, 0), []), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void ReadsAndWritesFilesByPath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"wav-{Guid.NewGuid():N}.wav");
        try
        {
            WavFile.Write(path, WavFormat.ForG711(G711Law.ALaw), [0xD5, 0x55]);
            Assert.That(WavFile.Read(path).Data, Is.EqualTo(new byte[] { 0xD5, 0x55 }));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
