using CallCenter.Telephony.Rtp;
using FsCheck;
using FsCheck.Fluent;
using static CallCenter.Telephony.Tests.Rtp.RtpBytes;

namespace CallCenter.Telephony.Tests.Rtp;

/// <summary>
/// Property-based robustness: random bytes and mutations of valid packets must only ever parse
/// (with every accessor in bounds) or give a named fault; never throw.
/// </summary>
public sealed class RtpFuzzTests
{
    private static readonly byte[][] _rtpSeeds =
    [
        Hex("B2 E0 1234 DEADBEEF 01020304 0A0B0C0D 11121314 BEDE 0001 AABBCCDD 010203 000003"),
        Hex("80 00 0001 00000002 00000003 FFFFFFFFFFFFFFFF"),
        Hex("90 08 0001 00000002 00000003 1000 0000 7F"),
    ];

    private static readonly byte[][] _rtcpSeeds =
    [
        Hex("81 C8 000C 11223344 E0000000 80000000 00001F40 00000064 00003E80" +
            "55667788 40 FFFFFF 00010005 00000020 ABCD1234 00018000" +
            "81 CA 0003 11223344 01 04 61624078 00 00" +
            "81 CB 0002 11223344 03 627965"),
        Hex("80 C9 0001 11223344 82 CA 0006 11223344 01 02 6869 00000000 55667788 01 01 41 02 01 42 0000"),
        Hex("80 C8 0007 11223344 E0000000 80000000 00001F40 00000064 00003E80 CAFECAFE" +
            "80 CC 0002 11223344 54455354" +
            "A1 CA 0004 11223344 01 02 6869 00000000 00000004"),
    ];

    private static readonly Gen<byte> _byteGen = Gen.Frequency(
        (4, Gen.Choose(0, 255).Select(v => (byte)v)),
        (1, Gen.Elements<byte>(0x00, 0x01, 0x02, 0x03, 0x04, 0x7F, 0x80, 0xA0, 0xB0, 0xBF, 0xC8, 0xC9, 0xCA, 0xCB, 0xFF)));

    /// <summary>One edit: 0 replace, 1 insert, 2 delete, 3 truncate, at a position scaled to the input.</summary>
    private static readonly Gen<ByteEdit> _editGen =
        from kind in Gen.Choose(0, 3)
        from position in Gen.Choose(0, int.MaxValue - 1)
        from value in _byteGen
        select new ByteEdit(kind, position, value);

    private static Gen<byte[]> Mutated(byte[][] seeds) =>
        from seed in Gen.Elements(seeds)
        from edits in Gen.Choose(1, 6).SelectMany(n => Gen.ArrayOf(_editGen, n))
        select ByteEdit.Apply(seed, edits);

    /// <summary>Random bytes, often with a version-2 first octet so validation goes past the first check.</summary>
    private static readonly Gen<byte[]> _randomGen =
        from length in Gen.Choose(0, 300)
        from bytes in Gen.ArrayOf(_byteGen, length)
        from fix in Gen.Choose(0, 2)
        from type in Gen.Elements<byte>(200, 201, 202, 203, 96, 0)
        select Fix(bytes, fix, type);

    private static byte[] Fix(byte[] bytes, int fix, byte second)
    {
        if (fix > 0 && bytes.Length > 1)
        {
            bytes[0] = (byte)(0x80 | (bytes[0] & 0x3F));
            if (fix > 1)
            {
                bytes[1] = second;
            }
        }

        return bytes;
    }

    private static bool RtpIsSane(byte[] input)
    {
        if (!RtpPacket.TryParse(input, out var packet, out var error))
        {
            return error != RtpParseError.None && packet.Length == 0;
        }

        var sum = 0L;
        for (var i = 0; i < packet.CsrcCount; i++)
        {
            sum += packet.GetCsrc(i);
        }

        sum += packet.ExtensionProfile + packet.ExtensionData.Length + packet.SequenceNumber + packet.Timestamp + packet.Ssrc;
        return error == RtpParseError.None
            && sum >= 0
            && packet.HeaderLength + packet.Payload.Length + packet.PaddingLength == input.Length
            && RtpDemultiplexer.Classify(input) == RtpPacketKind.Rtp;
    }

    private static bool RtcpIsSane(byte[] input)
    {
        if (!RtcpCompoundPacket.TryParse(input, out var compound, out var error))
        {
            return error != RtcpParseError.None && compound.PacketCount == 0;
        }

        var total = 0;
        var count = 0;
        foreach (var packet in compound)
        {
            total += packet.Length;
            count++;
            switch (packet.Type)
            {
                case RtcpPacketType.SenderReport:
                case RtcpPacketType.ReceiverReport:
                    _ = packet.SenderSsrc;
                    if (packet.Type == RtcpPacketType.SenderReport)
                    {
                        _ = packet.SenderInfo;
                    }

                    for (var i = 0; i < packet.Count; i++)
                    {
                        _ = packet.GetReportBlock(i);
                    }

                    break;
                case RtcpPacketType.SourceDescription:
                    packet.TryGetCname(out _, out _);
                    break;
                case RtcpPacketType.Goodbye:
                    for (var i = 0; i < packet.Count; i++)
                    {
                        _ = packet.GetGoodbyeSource(i);
                    }

                    _ = packet.GoodbyeReason.Length;
                    break;
                default:
                    _ = packet.Body.Length;
                    break;
            }
        }

        return error == RtcpParseError.None && total == input.Length && count == compound.PacketCount
            && RtpDemultiplexer.Classify(input) == RtpPacketKind.Rtcp;
    }

    [Test]
    public void SeedsAreValidSoMutationsStartFromRealPackets()
    {
        Assert.That(_rtpSeeds.All(s => RtpPacket.TryParse(s, out _, out _)), Is.True);
        Assert.That(_rtcpSeeds.All(s => RtcpCompoundPacket.TryParse(s, out _, out _)), Is.True);
    }

    [Test]
    public void MutatedRtpPacketsOnlyParseOrFault()
    {
        Prop.ForAll(Mutated(_rtpSeeds).ToArbitrary(), input => RtpIsSane(input) && RtcpIsSane(input))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(3000));
    }

    [Test]
    public void MutatedRtcpPacketsOnlyParseOrFault()
    {
        Prop.ForAll(Mutated(_rtcpSeeds).ToArbitrary(), input => RtcpIsSane(input) && RtpIsSane(input))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(3000));
    }

    [Test]
    public void RandomBytesOnlyParseOrFault()
    {
        Prop.ForAll(_randomGen.ToArbitrary(), input => RtpIsSane(input) && RtcpIsSane(input))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(3000));
    }

    [Test]
    public void EveryTruncationOfTheSeedsOnlyParsesOrFaults()
    {
        foreach (var seed in _rtpSeeds.Concat(_rtcpSeeds))
        {
            for (var length = 0; length <= seed.Length; length++)
            {
                Assert.That(RtpIsSane(seed[..length]) && RtcpIsSane(seed[..length]), Is.True, "prefix " + length);
            }
        }
    }
}
