using System.Buffers;
using System.Diagnostics;
using CallCenter.Telephony.Sip.Parsing;
using FsCheck;
using FsCheck.Fluent;

namespace CallCenter.Telephony.Tests.Sip.Parsing;

/// <summary>
/// Property-based robustness: valid messages truncated, mutated and split must only ever give
/// Message, Rejected, NeedMoreData or KeepAlive, never throw, and parse quickly.
/// </summary>
public sealed class SipParserFuzzTests
{
    private static readonly byte[][] _seeds =
        [.. TortureMessages.ValidFiles().Select(TortureMessages.Read), .. SampleMessages.All()];

    /// <summary>One edit: 0 replace, 1 insert, 2 delete, 3 truncate; at a position scaled to the input.</summary>
    private static readonly Gen<ByteEdit> _editGen =
        from kind in Gen.Choose(0, 3)
        from position in Gen.Choose(0, int.MaxValue - 1)
        from value in Gen.Frequency(
            (3, Gen.Choose(0, 255).Select(v => (byte)v)),
            (2, Gen.Elements((byte)'\r', (byte)'\n', (byte)' ', (byte)':', (byte)';', (byte)',', (byte)'<', (byte)'>', (byte)'"', (byte)'\\', (byte)'%', (byte)'@', (byte)'=', (byte)'0', (byte)'9')))
        select new ByteEdit(kind, position, value);

    private static readonly Gen<byte[]> _mutatedGen =
        from seed in Gen.Elements(_seeds)
        from edits in Gen.Choose(1, 8).SelectMany(n => Gen.ArrayOf(_editGen, n))
        select ByteEdit.Apply(seed, edits);

    private static bool DatagramIsSane(byte[] input)
    {
        var r = SipParser.ParseDatagram(input);
        return r.Status switch
        {
            SipParseStatus.Message => r.Message is not null && r.Error is null && r.Consumed == input.Length,
            SipParseStatus.Rejected => r.Error is not null && r.Message is null && (r.Error.Partial is null || r.Error.StatusCode > 0),
            SipParseStatus.KeepAlive => r.Consumed == input.Length,
            _ => false,
        };
    }

    private static bool StreamIsSane(byte[] input)
    {
        var r = SipParser.ParseStream(new ReadOnlySequence<byte>(input));
        return r.Status switch
        {
            SipParseStatus.NeedMoreData => r.Consumed == 0,
            SipParseStatus.Message => r.Message is not null && r.Consumed > 0 && r.Consumed <= input.Length,
            SipParseStatus.Rejected => r.Error is not null && r.Consumed > 0 && r.Consumed <= input.Length,
            SipParseStatus.KeepAlive => r.Consumed > 0 && r.Consumed <= input.Length,
            _ => false,
        };
    }

    [Test]
    public void MutatedMessagesOnlyGiveDefinedResults()
    {
        var sw = Stopwatch.StartNew();
        var count = 0;
        Prop.ForAll(_mutatedGen.ToArbitrary(), input =>
        {
            count++;
            return DatagramIsSane(input) && StreamIsSane(input);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));

        // Messages of about 1 KiB: 2000 of them, twice each, far under a second on any machine.
        Assert.That(count, Is.EqualTo(2000));
        Assert.That(sw.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)));
    }

    [Test]
    public void MutatedMessagesSplitAtEveryByteOnlyGiveDefinedResults()
    {
        Prop.ForAll(_mutatedGen.ToArbitrary(), input =>
        {
            for (var length = 0; length <= input.Length; length++)
            {
                if (!StreamIsSane(input[..length]))
                {
                    return false;
                }
            }

            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(60));
    }

    [Test]
    public void ValidMessagesTruncatedAnywhereGiveDefinedResults()
    {
        foreach (var seed in _seeds)
        {
            for (var length = 0; length <= seed.Length; length++)
            {
                var prefix = seed[..length];
                Assert.That(DatagramIsSane(prefix), Is.True, "datagram prefix " + length);
                Assert.That(StreamIsSane(prefix), Is.True, "stream prefix " + length);
            }
        }
    }

    [Test]
    public void RandomBytesOnlyGiveDefinedResults()
    {
        var gen = Gen.Choose(0, 2048).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n));
        Prop.ForAll(gen.ToArbitrary(), input => DatagramIsSane(input) && StreamIsSane(input))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(500));
    }
}
