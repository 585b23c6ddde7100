using System.Buffers.Binary;
using CallCenter.Telephony.Codecs;
using CallCenter.Telephony.Media.Audio;

namespace CallCenter.Telephony.Tests.Media.Audio;

public sealed class WavWriterTests
{
    [Test]
    public void ARecordingOfStereoFramesHasTheRightSizesAfterCompletion()
    {
        var stream = new MemoryStream();
        var writer = new WavWriter(stream, WavFormat.Recording, leaveOpen: true);
        var caller = new short[160];
        var agent = new short[160];
        for (var frame = 0; frame < 50; frame++)
        {
            Array.Fill(caller, (short)frame);
            Array.Fill(agent, (short)-frame);
            writer.WriteStereo(caller, agent);
        }

        writer.Complete();
        var bytes = stream.ToArray();

        Assert.That(bytes, Has.Length.EqualTo(44 + (50 * 160 * 4)));
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)), Is.EqualTo(bytes.Length - 8), "RIFF size");
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(40)), Is.EqualTo(50 * 160 * 4), "data size");
        Assert.That(writer.FrameCount, Is.EqualTo(50 * 160));

        var samples = WavFile.Read(new MemoryStream(bytes)).ToLinear();
        Assert.That(samples, Has.Length.EqualTo(2 * 50 * 160));
        for (var i = 0; i < samples.Length; i += 2)
        {
            var frame = i / 2 / 160;
            Assert.That((samples[i], samples[i + 1]), Is.EqualTo(((short)frame, (short)-frame)), $"sample frame {i / 2}");
        }
    }

    [Test]
    public void FlushLeavesAValidFileAndWritingGoesOn()
    {
        var stream = new MemoryStream();
        using var writer = new WavWriter(stream, WavFormat.Telephony, leaveOpen: true);
        writer.WriteSamples([1, 2, 3]);
        writer.Flush();

        Assert.That(WavFile.Read(new MemoryStream(stream.ToArray())).ToLinear(), Is.EqualTo(new short[] { 1, 2, 3 }));

        writer.WriteSamples([4]);
        writer.Complete();
        Assert.That(WavFile.Read(new MemoryStream(stream.ToArray())).ToLinear(), Is.EqualTo(new short[] { 1, 2, 3, 4 }));
    }

    [Test]
    public void DisposeCompletesTheFileAtAPath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"recording-{Guid.NewGuid():N}.wav");
        try
        {
            using (var writer = WavWriter.Create(path, WavFormat.Recording))
            {
                writer.WriteSamples([10, -10, 20, -20]);
            }

            var audio = WavFile.Read(path);
            Assert.That(audio.Format, Is.EqualTo(WavFormat.Recording));
            Assert.That(audio.ToLinear(), Is.EqualTo(new short[] { 10, -10, 20, -20 }));
            Assert.That(new FileInfo(path).Length, Is.EqualTo(44 + 8));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void AnOddLengthOfG711IsPaddedAndTheFactChunkCountsFrames()
    {
        var stream = new MemoryStream();
        using (var writer = new WavWriter(stream, WavFormat.ForG711(G711Law.MuLaw), leaveOpen: true))
        {
            writer.WriteEncoded([0xFF, 0x00, 0x80]);
            writer.WriteEncoded([0x7F, 0x01]);
        }

        var bytes = stream.ToArray();
        Assert.That(bytes, Has.Length.EqualTo(58 + 5 + 1));
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)), Is.EqualTo(bytes.Length - 8));
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(46)), Is.EqualTo(5), "fact: sample frames");
        Assert.That(WavFile.Read(new MemoryStream(bytes)).Data, Is.EqualTo(new byte[] { 0xFF, 0x00, 0x80, 0x7F, 0x01 }));
    }

    [Test]
    public void AnEmptyRecordingIsStillAValidFile()
    {
        var stream = new MemoryStream();
        new WavWriter(stream, WavFormat.Recording, leaveOpen: true).Dispose();

        Assert.That(WavFile.Read(new MemoryStream(stream.ToArray())).FrameCount, Is.Zero);
    }

    [Test]
    public void MisuseIsRejected()
    {
        Assert.That(() => new WavWriter(new NonSeekableStream([]), WavFormat.Telephony), Throws.ArgumentException);

        using var mono = new WavWriter(new MemoryStream(), WavFormat.Telephony);
        Assert.That(() => mono.WriteStereo(new short[160], new short[160]), Throws.InvalidOperationException);

        using var stereo = new WavWriter(new MemoryStream(), WavFormat.Recording);
        Assert.That(() => stereo.WriteStereo(new short[160], new short[159]), Throws.ArgumentException);
        Assert.That(() => stereo.WriteSamples(new short[3]), Throws.ArgumentException);
        Assert.That(() => stereo.WriteEncoded(new byte[3]), Throws.ArgumentException);

        using var muLaw = new WavWriter(new MemoryStream(), WavFormat.ForG711(G711Law.MuLaw));
        Assert.That(() => muLaw.WriteSamples(new short[2]), Throws.InvalidOperationException);

        stereo.Complete();
        Assert.That(() => stereo.WriteStereo(new short[1], new short[1]), Throws.InvalidOperationException);
    }

    [Test]
    public void AppendingFramesAllocatesNothing()
    {
        var stream = new MemoryStream(capacity: 44 + (2000 * 640));
        using var writer = new WavWriter(stream, WavFormat.Recording, leaveOpen: true);
        var caller = new short[160];
        var agent = new short[160];
        writer.WriteStereo(caller, agent);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            writer.WriteStereo(caller, agent);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }
}
