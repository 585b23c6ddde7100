using System.Buffers.Binary;
using CallCenter.Telephony.Codecs;
using CallCenter.Telephony.Media.Audio;

namespace CallCenter.Telephony.Tests.Media.Audio;

public sealed class WavHeaderRepairTests
{
    // What a killed recorder leaves: the header as first written (sizes 0), then the audio it appended.
    private static byte[] CutFile(WavFormat format, int dataBytes, int extra = 0)
    {
        var stream = new MemoryStream();
        var writer = new WavWriter(stream, format, leaveOpen: true);
        var header = stream.ToArray(); // before any Flush or Complete: sizes 0
        writer.Dispose();
        var file = new byte[header.Length + dataBytes + extra];
        header.CopyTo(file, 0);
        for (var i = header.Length; i < file.Length; i++)
        {
            file[i] = (byte)(i * 7);
        }

        return file;
    }

    [Test]
    public void ACutStereoRecordingSaysTheWholeFramesItHoldsAndReadsBack()
    {
        var file = CutFile(WavFormat.Recording, dataBytes: 32_000, extra: 3); // a second, and part of a frame
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(40)), Is.Zero, "the cut file says no audio");

        var outcome = WavHeaderRepair.Repair(file.AsSpan(0, WavHeaderRepair.HeaderBytes), file.Length, out var dataBytes);

        Assert.That(outcome, Is.EqualTo(WavRepairOutcome.Repaired));
        Assert.That(dataBytes, Is.EqualTo(32_000));
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(4)), Is.EqualTo(36 + 32_000));
        var wav = WavFile.Read(new MemoryStream(file));
        Assert.That(wav.Format, Is.EqualTo(WavFormat.Recording));
        Assert.That(wav.Data, Is.EqualTo(file[44..(44 + 32_000)]));
    }

    [Test]
    public void AHeaderSayingLessThanTheFileHoldsIsExtendedAndAG711FactChunkFollows()
    {
        var format = WavFormat.ForG711(G711Law.MuLaw);
        var file = CutFile(format, dataBytes: 801);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(54), 400); // a header flushed a while before the kill

        var outcome = WavHeaderRepair.Repair(file, file.Length, out var dataBytes);

        Assert.That(outcome, Is.EqualTo(WavRepairOutcome.Repaired));
        Assert.That(dataBytes, Is.EqualTo(801));
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(46)), Is.EqualTo(801), "the fact chunk's frame count");
        Assert.That(WavFile.Read(new MemoryStream(file)).Data, Has.Length.EqualTo(801));
    }

    [Test]
    public void ACompleteFileIsSoundAndLeftAsItIsEvenWithItsPadByte()
    {
        var stream = new MemoryStream();
        using (var writer = new WavWriter(stream, WavFormat.ForG711(G711Law.ALaw), leaveOpen: true))
        {
            writer.WriteEncoded(new byte[161]);
        }

        var file = stream.ToArray();
        var before = file.ToArray();

        Assert.That(WavHeaderRepair.Repair(file, file.Length, out var dataBytes), Is.EqualTo(WavRepairOutcome.Sound));
        Assert.That(dataBytes, Is.EqualTo(161));
        Assert.That(file, Is.EqualTo(before));
    }

    [Test]
    public void AHeaderSayingMoreThanTheFileHoldsIsCutDownToIt()
    {
        var file = CutFile(WavFormat.Recording, dataBytes: 400);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(40), 4000);

        Assert.That(WavHeaderRepair.Repair(file, file.Length, out var dataBytes), Is.EqualTo(WavRepairOutcome.Repaired));
        Assert.That(dataBytes, Is.EqualTo(400));
        Assert.That(WavFile.Read(new MemoryStream(file)).Data, Has.Length.EqualTo(400));
    }

    [TestCase("")]
    [TestCase("RIFF")]
    [TestCase("RIFF\0\0\0\0WAVE")]
    [TestCase("RIFX\0\0\0\0WAVEfmt ")]
    [TestCase("RIFF\0\0\0\0AVI data\0\0\0\0")]
    [TestCase("RIFF\0\0\0\0WAVEdata\0\0\0\0abcd")]
    [TestCase("RIFF\0\0\0\0WAVEfmt \xff\xff\0\0")]
    public void WhatIsNotAWavHeaderWithFormatThenDataIsLeftAlone(string start)
    {
        var bytes = start.Select(c => (byte)c).ToArray();
        var before = bytes.ToArray();

        Assert.That(WavHeaderRepair.Repair(bytes, bytes.Length + 1000, out _), Is.EqualTo(WavRepairOutcome.NotRepairable));
        Assert.That(bytes, Is.EqualTo(before));
    }

    [Test]
    public void TheShellRepairsTheFileOnDisk()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cut-{Guid.NewGuid():N}.wav");
        try
        {
            File.WriteAllBytes(path, CutFile(WavFormat.Recording, dataBytes: 8000));

            Assert.That(WavHeaderRepair.RepairFile(path), Is.EqualTo(WavRepairOutcome.Repaired));
            Assert.That(WavHeaderRepair.RepairFile(path), Is.EqualTo(WavRepairOutcome.Sound), "once repaired, left alone");
            Assert.That(WavFile.Read(path).Data, Has.Length.EqualTo(8000));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
