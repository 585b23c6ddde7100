using CallCenter.Telephony.Rtp;
using static CallCenter.Telephony.Tests.Rtp.RtpBytes;

namespace CallCenter.Telephony.Tests.Rtp;

public sealed class RtpPacketTests
{
    // V=2 P X CC=2 | M PT=96 | seq 0x1234 | ts | SSRC | 2 CSRCs | extension 0xBEDE, 1 word | payload 3 | padding 3.
    private static readonly byte[] _full = Hex(
        "B2 E0 1234 DEADBEEF 01020304" +
        "0A0B0C0D 11121314" +
        "BEDE 0001 AABBCCDD" +
        "010203" +
        "000003");

    [Test]
    public void ParserReadsEveryFieldOfAPacketWithCsrcsExtensionAndPadding()
    {
        var ok = RtpPacket.TryParse(_full, out var packet, out var error);

        Assert.That(ok, Is.True);
        Assert.That(error, Is.EqualTo(RtpParseError.None));
        Assert.That(packet.Version, Is.EqualTo(2));
        Assert.That(packet.HasPadding, Is.True);
        Assert.That(packet.HasExtension, Is.True);
        Assert.That(packet.CsrcCount, Is.EqualTo(2));
        Assert.That(packet.Marker, Is.True);
        Assert.That(packet.PayloadType, Is.EqualTo(96));
        Assert.That(packet.SequenceNumber, Is.EqualTo(0x1234));
        Assert.That(packet.Timestamp, Is.EqualTo(0xDEADBEEF));
        Assert.That(packet.Ssrc, Is.EqualTo(0x01020304));
        Assert.That(packet.GetCsrc(0), Is.EqualTo(0x0A0B0C0D));
        Assert.That(packet.GetCsrc(1), Is.EqualTo(0x11121314));
        Assert.That(packet.ExtensionProfile, Is.EqualTo(0xBEDE));
        Assert.That(packet.ExtensionData.ToArray(), Is.EqualTo(Hex("AABBCCDD")));
        Assert.That(packet.HeaderLength, Is.EqualTo(28));
        Assert.That(packet.PaddingLength, Is.EqualTo(3));
        Assert.That(packet.Payload.ToArray(), Is.EqualTo(Hex("010203")));
        Assert.That(packet.Length, Is.EqualTo(_full.Length));
    }

    [Test]
    public void CsrcIndexOutsideTheListThrows()
    {
        RtpPacket.TryParse(_full, out var packet, out _);
        var threw = false;
        try
        {
            packet.GetCsrc(2);
        }
        catch (ArgumentOutOfRangeException)
        {
            threw = true;
        }

        Assert.That(threw, Is.True);
    }

    [Test]
    public void WrittenPacketParsesBackToTheSameFields()
    {
        var buffer = new byte[200];
        var payload = Enumerable.Range(0, 160).Select(i => (byte)i).ToArray();

        var length = RtpPacket.Write(buffer, 8, marker: true, 65535, 0xFFFFFFF0, 0xCAFEBABE, payload);
        var ok = RtpPacket.TryParse(buffer.AsSpan(0, length), out var packet, out _);

        Assert.That(length, Is.EqualTo(172));
        Assert.That(ok, Is.True);
        Assert.That(buffer[..12], Is.EqualTo(Hex("80 88 FFFF FFFFFFF0 CAFEBABE")));
        Assert.That(packet.PayloadType, Is.EqualTo(8));
        Assert.That(packet.Marker, Is.True);
        Assert.That(packet.SequenceNumber, Is.EqualTo(65535));
        Assert.That(packet.Timestamp, Is.EqualTo(0xFFFFFFF0));
        Assert.That(packet.Ssrc, Is.EqualTo(0xCAFEBABE));
        Assert.That(packet.Payload.ToArray(), Is.EqualTo(payload));
        Assert.That(packet.HasPadding || packet.HasExtension || packet.CsrcCount != 0, Is.False);
    }

    [TestCase(128, false)]
    [TestCase(-1, false)]
    [TestCase(72, true)]
    [TestCase(95, true)]
    [TestCase(64, true)]
    public void WriterRefusesPayloadTypesOutOfRangeOrCollidingWithRtcp(int payloadType, bool marker)
    {
        var buffer = new byte[12];

        Assert.That(() => RtpPacket.WriteHeader(buffer, payloadType, marker, 1, 2, 3), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void WriterRefusesADestinationTooSmall()
    {
        var buffer = new byte[20];

        Assert.That(() => RtpPacket.Write(buffer, 0, false, 1, 2, 3, new byte[9]), Throws.ArgumentException);
    }

    [TestCase("80 00 0001 00000002 000000", RtpParseError.TooShort, TestName = "ParserRejectsElevenOctetsAsTooShort")]
    [TestCase("", RtpParseError.TooShort, TestName = "ParserRejectsAnEmptyDatagramAsTooShort")]
    [TestCase("40 00 0001 00000002 00000003", RtpParseError.BadVersion, TestName = "ParserRejectsVersionOne")]
    [TestCase("C0 00 0001 00000002 00000003", RtpParseError.BadVersion, TestName = "ParserRejectsVersionThree")]
    [TestCase("80 C8 0001 00000002 00000003", RtpParseError.LooksLikeRtcp, TestName = "ParserRejectsAnSrTypeAsLooksLikeRtcp")]
    [TestCase("81 00 0001 00000002 00000003", RtpParseError.CsrcBeyondEnd, TestName = "ParserRejectsOneCsrcMissing")]
    [TestCase("8F 00 0001 00000002 00000003 0A0B0C0D", RtpParseError.CsrcBeyondEnd, TestName = "ParserRejectsFifteenCsrcsWithOnePresent")]
    [TestCase("90 00 0001 00000002 00000003", RtpParseError.ExtensionBeyondEnd, TestName = "ParserRejectsExtensionBitWithoutExtensionHeader")]
    [TestCase("90 00 0001 00000002 00000003 BEDE 0002 AABBCCDD", RtpParseError.ExtensionBeyondEnd, TestName = "ParserRejectsExtensionLengthBeyondEnd")]
    [TestCase("90 00 0001 00000002 00000003 BEDE FFFF", RtpParseError.ExtensionBeyondEnd, TestName = "ParserRejectsHostileExtensionLength")]
    [TestCase("A0 00 0001 00000002 00000003", RtpParseError.PaddingOnEmptyPacket, TestName = "ParserRejectsPaddingBitOnAnEmptyPacket")]
    [TestCase("A0 00 0001 00000002 00000003 0102 00", RtpParseError.PaddingCountZero, TestName = "ParserRejectsPaddingCountZero")]
    [TestCase("A0 00 0001 00000002 00000003 01 03", RtpParseError.PaddingBeyondPayload, TestName = "ParserRejectsPaddingLargerThanPayload")]
    [TestCase("B0 00 0001 00000002 00000003 BEDE 0000 02", RtpParseError.PaddingBeyondPayload, TestName = "ParserRejectsPaddingReachingIntoTheExtension")]
    public void ParserNamesTheFault(string hex, RtpParseError expected)
    {
        var ok = RtpPacket.TryParse(Hex(hex), out var packet, out var error);

        Assert.That(ok, Is.False);
        Assert.That(error, Is.EqualTo(expected));
        Assert.That(packet.Length, Is.Zero);
    }

    [Test]
    public void PaddingThatFillsEverythingAfterTheHeaderLeavesAnEmptyPayload()
    {
        var ok = RtpPacket.TryParse(Hex("A0 00 0001 00000002 00000003 0000 03"), out var packet, out _);

        Assert.That(ok, Is.True);
        Assert.That(packet.Payload.Length, Is.Zero);
        Assert.That(packet.PaddingLength, Is.EqualTo(3));
    }

    [Test]
    public void ExtensionOfZeroWordsIsAccepted()
    {
        var ok = RtpPacket.TryParse(Hex("90 00 0001 00000002 00000003 1000 0000 7F"), out var packet, out _);

        Assert.That(ok, Is.True);
        Assert.That(packet.ExtensionProfile, Is.EqualTo(0x1000));
        Assert.That(packet.ExtensionData.Length, Is.Zero);
        Assert.That(packet.Payload.ToArray(), Is.EqualTo(Hex("7F")));
    }

    [TestCase("80 00 0001 00000002 00000003", RtpPacketKind.Rtp)]
    [TestCase("80 BF 0001 00000002 00000003", RtpPacketKind.Rtp)]
    [TestCase("80 E0 0001 00000002 00000003", RtpPacketKind.Rtp)]
    [TestCase("80 C0 0001", RtpPacketKind.Rtcp)]
    [TestCase("81 C9 0007", RtpPacketKind.Rtcp)]
    [TestCase("80 DF 0001", RtpPacketKind.Rtcp)]
    [TestCase("00 01 0000 2112A442", RtpPacketKind.Unknown)]
    [TestCase("16 FE FD", RtpPacketKind.Unknown)]
    [TestCase("80 C9 00", RtpPacketKind.Unknown)]
    public void DemultiplexerTellsRtcpFromRtpByTheSecondOctet(string hex, RtpPacketKind expected)
    {
        Assert.That(RtpDemultiplexer.Classify(Hex(hex)), Is.EqualTo(expected));
    }
}
