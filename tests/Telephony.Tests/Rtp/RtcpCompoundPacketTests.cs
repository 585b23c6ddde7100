using System.Text;
using CallCenter.Telephony.Rtp;
using static CallCenter.Telephony.Tests.Rtp.RtpBytes;

namespace CallCenter.Telephony.Tests.Rtp;

public sealed class RtcpCompoundPacketTests
{
    private const uint Ours = 0x11223344;

    private static readonly RtcpSenderInfo _info = new(0xE0000000_80000000, 0x1F40, 100, 16000);

    private static readonly RtcpReportBlock _block = new(0x55667788, 0x40, -1, 0x00010005, 0x20, 0xABCD1234, 0x00018000);

    // RFC 3550 6.4.1 SR: V=2 P=0 RC=1, PT=200, length 12 (52 octets / 4 - 1); SSRC; NTP msw, lsw;
    // RTP timestamp; packet count; octet count; one block: SSRC, fraction | cumulative (24-bit -1),
    // extended highest sequence, jitter, LSR, DLSR.
    private const string SenderReport =
        "81 C8 000C 11223344 E0000000 80000000 00001F40 00000064 00003E80" +
        "55667788 40 FFFFFF 00010005 00000020 ABCD1234 00018000";

    // RFC 3550 6.5 SDES: SC=1, PT=202, length 3; chunk SSRC; CNAME item (1), 4 octets "ab@x";
    // a null terminator and one more null to the 32-bit boundary.
    private const string SourceDescription = "81 CA 0003 11223344 01 04 61624078 00 00";

    // RFC 3550 6.6 BYE: SC=1, PT=203, length 2; SSRC; reason length 3, "bye".
    private const string Goodbye = "81 CB 0002 11223344 03 627965";

    // RR without blocks, then SDES with a two-octet CNAME "hi" and four nulls (terminator and pad).
    private const string ReceiverReportWithCname = "80 C9 0001 11223344 81 CA 0003 11223344 01 02 6869 00000000";

    [Test]
    public void WriterLaysOutSrSdesAndByeAsRfc3550Says()
    {
        var buffer = new byte[200];
        var writer = new RtcpCompoundWriter(buffer);

        writer.WriteSenderReport(Ours, _info, [_block]);
        writer.WriteSourceDescription(Ours, "ab@x"u8);
        writer.WriteGoodbye([Ours], "bye"u8);

        Assert.That(writer.IsComplete, Is.True);
        Assert.That(writer.Length, Is.EqualTo(52 + 16 + 12));
        Assert.That(writer.Written.ToArray(), Is.EqualTo(Hex(SenderReport + SourceDescription + Goodbye)));
    }

    [Test]
    public void WriterLaysOutAnRrWithoutBlocksAndAShortCname()
    {
        var buffer = new byte[64];
        var writer = new RtcpCompoundWriter(buffer);

        writer.WriteReceiverReport(Ours, []);
        writer.WriteSourceDescription(Ours, "hi"u8);

        Assert.That(writer.Written.ToArray(), Is.EqualTo(Hex(ReceiverReportWithCname)));
    }

    [Test]
    public void ParserReadsSrSdesAndByeFieldByField()
    {
        var bytes = Hex(SenderReport + SourceDescription + Goodbye);

        var ok = RtcpCompoundPacket.TryParse(bytes, out var compound, out var error);

        Assert.That(ok, Is.True);
        Assert.That(error, Is.EqualTo(RtcpParseError.None));
        Assert.That(compound.PacketCount, Is.EqualTo(3));
        Assert.That(compound.HasCname, Is.True);
        var types = new List<RtcpPacketType>();
        foreach (var packet in compound)
        {
            types.Add(packet.Type);
            switch (packet.Type)
            {
                case RtcpPacketType.SenderReport:
                    Assert.That(packet.SenderSsrc, Is.EqualTo(Ours));
                    Assert.That(packet.SenderInfo, Is.EqualTo(_info));
                    Assert.That(packet.Count, Is.EqualTo(1));
                    Assert.That(packet.GetReportBlock(0), Is.EqualTo(_block));
                    break;
                case RtcpPacketType.SourceDescription:
                    Assert.That(packet.TryGetCname(out var ssrc, out var cname), Is.True);
                    Assert.That(ssrc, Is.EqualTo(Ours));
                    Assert.That(Encoding.UTF8.GetString(cname), Is.EqualTo("ab@x"));
                    break;
                case RtcpPacketType.Goodbye:
                    Assert.That(packet.Count, Is.EqualTo(1));
                    Assert.That(packet.GetGoodbyeSource(0), Is.EqualTo(Ours));
                    Assert.That(Encoding.UTF8.GetString(packet.GoodbyeReason), Is.EqualTo("bye"));
                    break;
                default:
                    Assert.Fail("unexpected " + packet.Type);
                    break;
            }
        }

        Assert.That(types, Is.EqualTo(new[] { RtcpPacketType.SenderReport, RtcpPacketType.SourceDescription, RtcpPacketType.Goodbye }));
    }

    [Test]
    public void ManyBlocksAndLongTextsRoundTrip()
    {
        var blocks = Enumerable.Range(0, RtcpCompoundWriter.MaxReportBlocks)
            .Select(i => new RtcpReportBlock((uint)i, (byte)i, (i * 1000) - 15000, (uint)(i << 16), (uint)i * 7, (uint)i * 11, (uint)i * 13))
            .ToArray();
        var cname = Encoding.UTF8.GetBytes(new string('c', 255));
        var reason = Encoding.UTF8.GetBytes(new string('r', 255));
        var buffer = new byte[2048];
        var writer = new RtcpCompoundWriter(buffer);
        writer.WriteReceiverReport(Ours, blocks);
        writer.WriteSourceDescription(Ours, cname);
        writer.WriteGoodbye([1u, 2u, 3u], reason);
        var written = writer.Written.ToArray();

        Assert.That(RtcpCompoundPacket.TryParse(written, out var compound, out var error), Is.True, error.ToString());
        var seenBlocks = new List<RtcpReportBlock>();
        byte[]? seenCname = null;
        byte[]? seenReason = null;
        foreach (var packet in compound)
        {
            if (packet.Type == RtcpPacketType.ReceiverReport)
            {
                for (var i = 0; i < packet.Count; i++)
                {
                    seenBlocks.Add(packet.GetReportBlock(i));
                }
            }
            else if (packet.Type == RtcpPacketType.SourceDescription && packet.TryGetCname(out _, out var c))
            {
                seenCname = c.ToArray();
            }
            else if (packet.Type == RtcpPacketType.Goodbye)
            {
                seenReason = packet.GoodbyeReason.ToArray();
                Assert.That(packet.GetGoodbyeSource(2), Is.EqualTo(3));
            }
        }

        Assert.That(seenBlocks, Is.EqualTo(blocks));
        Assert.That(seenCname, Is.EqualTo(cname));
        Assert.That(seenReason, Is.EqualTo(reason));
        Assert.That(written.Length % 4, Is.Zero);
    }

    [Test]
    public void CumulativeLostIsClampedToTwentyFourBitsSigned()
    {
        var buffer = new byte[64];
        var writer = new RtcpCompoundWriter(buffer);
        writer.WriteReceiverReport(Ours, [_block with { CumulativeLost = -9_000_000 }, _block with { CumulativeLost = 9_000_000 }]);

        RtcpCompoundPacket.TryParse(writer.Written, out var compound, out _);
        var enumerator = compound.GetEnumerator();
        enumerator.MoveNext();

        Assert.That(enumerator.Current.GetReportBlock(0).CumulativeLost, Is.EqualTo(-0x800000));
        Assert.That(enumerator.Current.GetReportBlock(1).CumulativeLost, Is.EqualTo(0x7FFFFF));
        Assert.That(buffer[13..16], Is.EqualTo(Hex("800000")));
    }

    [Test]
    public void WriterRefusesToStartWithSdesOrByeAndReportsIncompleteWithoutCname()
    {
        var buffer = new byte[64];
        var sdesFirst = false;
        var byeFirst = false;
        var writer = new RtcpCompoundWriter(buffer);
        try
        {
            writer.WriteSourceDescription(Ours, "x"u8);
        }
        catch (InvalidOperationException)
        {
            sdesFirst = true;
        }

        try
        {
            writer.WriteGoodbye([Ours], []);
        }
        catch (InvalidOperationException)
        {
            byeFirst = true;
        }

        writer.WriteReceiverReport(Ours, []);

        Assert.That(sdesFirst && byeFirst, Is.True);
        Assert.That(writer.IsComplete, Is.False);
        Assert.That(writer.Length, Is.EqualTo(8));
    }

    [Test]
    public void WriterRefusesTooManyBlocksAndABufferTooSmall()
    {
        var tooMany = false;
        var tooSmall = false;
        var buffer = new byte[40];
        var writer = new RtcpCompoundWriter(buffer);
        try
        {
            writer.WriteReceiverReport(Ours, new RtcpReportBlock[32]);
        }
        catch (ArgumentOutOfRangeException)
        {
            tooMany = true;
        }

        try
        {
            writer.WriteReceiverReport(Ours, new RtcpReportBlock[2]);
        }
        catch (InvalidOperationException)
        {
            tooSmall = true;
        }

        Assert.That(tooMany && tooSmall, Is.True);
        Assert.That(writer.Length, Is.Zero);
    }

    [Test]
    public void UnknownTypesAndProfileExtensionsAndPaddingOnTheLastPacketAreAccepted()
    {
        // SR with one extra profile-specific word, APP (204) with name "TEST", then SDES padded by 4.
        var bytes = Hex(
            "80 C8 0007 11223344 E0000000 80000000 00001F40 00000064 00003E80 CAFECAFE" +
            "80 CC 0002 11223344 54455354" +
            "A1 CA 0004 11223344 01 02 6869 00000000 00000004");

        var ok = RtcpCompoundPacket.TryParse(bytes, out var compound, out var error);

        Assert.That(ok, Is.True, error.ToString());
        Assert.That(compound.PacketCount, Is.EqualTo(3));
        Assert.That(compound.HasCname, Is.True);
        var lengths = new List<int>();
        foreach (var packet in compound)
        {
            lengths.Add(packet.Body.Length);
        }

        Assert.That(lengths, Is.EqualTo(new[] { 28, 8, 12 }));
    }

    [Test]
    public void CnameIsFoundInALaterChunkAfterOtherItems()
    {
        // SDES SC=2: chunk 1 has only NAME (2) "A"; chunk 2 (0x55667788) has NOTE (7) "B" then CNAME "c".
        var bytes = Hex(Rr + "82 CA 0005 11223344 02 01 41 00 55667788 07 01 42 01 01 63 0000");

        var ok = RtcpCompoundPacket.TryParse(bytes, out var compound, out var error);
        var enumerator = compound.GetEnumerator();
        enumerator.MoveNext();
        enumerator.MoveNext();
        var found = enumerator.Current.TryGetCname(out var ssrc, out var cname);

        Assert.That(ok, Is.True, error.ToString());
        Assert.That(compound.HasCname, Is.True);
        Assert.That(found, Is.True);
        Assert.That(ssrc, Is.EqualTo(0x55667788));
        Assert.That(Encoding.UTF8.GetString(cname), Is.EqualTo("c"));
    }

    [Test]
    public void AccessorsOfAnotherPacketTypeThrow()
    {
        RtcpCompoundPacket.TryParse(Hex(ReceiverReportWithCname), out var compound, out _);
        var enumerator = compound.GetEnumerator();
        enumerator.MoveNext();
        var senderInfoOnRr = false;
        try
        {
            _ = enumerator.Current.SenderInfo;
        }
        catch (InvalidOperationException)
        {
            senderInfoOnRr = true;
        }

        enumerator.MoveNext();
        var blockOnSdes = false;
        try
        {
            enumerator.Current.GetReportBlock(0);
        }
        catch (InvalidOperationException)
        {
            blockOnSdes = true;
        }

        Assert.That(senderInfoOnRr && blockOnSdes, Is.True);
    }

    [Test]
    public void CompoundWithoutCnameParsesButSaysSo()
    {
        var ok = RtcpCompoundPacket.TryParse(Hex("80 C9 0001 11223344"), out var compound, out _);

        Assert.That(ok, Is.True);
        Assert.That(compound.HasCname, Is.False);
    }

    private const string Rr = "80 C9 0001 11223344 ";

    [TestCase("", RtcpParseError.TooShort, TestName = "RtcpParserRejectsAnEmptyDatagram")]
    [TestCase("80 C9 00", RtcpParseError.TooShort, TestName = "RtcpParserRejectsAThreeOctetHeader")]
    [TestCase(Rr + "81 CA", RtcpParseError.TooShort, TestName = "RtcpParserRejectsTrailingOctetsAfterAPacket")]
    [TestCase("40 C9 0001 11223344", RtcpParseError.BadVersion, TestName = "RtcpParserRejectsVersionOne")]
    [TestCase(Rr + "C1 CA 0003 11223344 01 02 6869 00000000", RtcpParseError.BadVersion, TestName = "RtcpParserRejectsABadVersionInALaterPacket")]
    [TestCase("80 C9 0002 11223344", RtcpParseError.LengthBeyondDatagram, TestName = "RtcpParserRejectsALengthBeyondTheDatagram")]
    [TestCase(Rr + "81 CA FFFF 11223344", RtcpParseError.LengthBeyondDatagram, TestName = "RtcpParserRejectsAHostileLengthInALaterPacket")]
    [TestCase("81 CA 0003 11223344 01 02 6869 00000000", RtcpParseError.FirstPacketNotReport, TestName = "RtcpParserRejectsSdesFirst")]
    [TestCase("81 CB 0001 11223344", RtcpParseError.FirstPacketNotReport, TestName = "RtcpParserRejectsByeFirst")]
    [TestCase("A0 C9 0001 11223344 81 CB 0001 11223344", RtcpParseError.PaddingNotLast, TestName = "RtcpParserRejectsPaddingOnAPacketThatIsNotLast")]
    [TestCase("A0 C9 0002 11223344 00000000", RtcpParseError.PaddingCountZero, TestName = "RtcpParserRejectsPaddingCountZero")]
    [TestCase("A0 C9 0001 11223344", RtcpParseError.PaddingBeyondPacket, TestName = "RtcpParserRejectsPaddingLargerThanThePacket")]
    [TestCase("80 C9 0000", RtcpParseError.ReportTooShort, TestName = "RtcpParserRejectsAnRrWithoutSsrc")]
    [TestCase("80 C8 0001 11223344", RtcpParseError.ReportTooShort, TestName = "RtcpParserRejectsAnSrWithoutSenderInfo")]
    [TestCase("81 C9 0001 11223344", RtcpParseError.ReportBlocksBeyondLength, TestName = "RtcpParserRejectsAReportCountBeyondTheLength")]
    [TestCase("A1 C9 0007 11223344 55667788 40FFFFFF 00010005 00000020 ABCD1234 00000004", RtcpParseError.ReportBlocksBeyondLength, TestName = "RtcpParserRejectsABlockCutByPadding")]
    [TestCase(Rr + "81 CA 0001 11223344", RtcpParseError.SourceDescriptionBeyondLength, TestName = "RtcpParserRejectsAnSdesChunkWithoutTerminator")]
    [TestCase(Rr + "81 CA 0002 11223344 01 08 6162", RtcpParseError.SourceDescriptionBeyondLength, TestName = "RtcpParserRejectsAnSdesItemLongerThanThePacket")]
    [TestCase(Rr + "82 CA 0003 11223344 01 02 6869 00000000", RtcpParseError.SourceDescriptionBeyondLength, TestName = "RtcpParserRejectsAMissingSdesChunk")]
    [TestCase(Rr + "82 CB 0001 11223344", RtcpParseError.GoodbyeSourcesBeyondLength, TestName = "RtcpParserRejectsByeSourcesBeyondTheLength")]
    [TestCase(Rr + "81 CB 0002 11223344 09 627965", RtcpParseError.GoodbyeReasonBeyondLength, TestName = "RtcpParserRejectsAByeReasonBeyondTheLength")]
    public void RtcpParserNamesTheFault(string hex, RtcpParseError expected)
    {
        var ok = RtcpCompoundPacket.TryParse(Hex(hex), out var compound, out var error);

        Assert.That(ok, Is.False);
        Assert.That(error, Is.EqualTo(expected));
        Assert.That(compound.PacketCount, Is.Zero);
    }
}
