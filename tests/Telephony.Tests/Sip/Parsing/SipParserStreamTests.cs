using System.Buffers;
using System.Text;
using CallCenter.Telephony.Sip.Parsing;

namespace CallCenter.Telephony.Tests.Sip.Parsing;

/// <summary>Stream framing (RFC 3261 18.3): byte-split tables, back-to-back messages, keep-alives.</summary>
public sealed class SipParserStreamTests
{
    private static ReadOnlySequence<byte> Seq(byte[] bytes) => new(bytes);

    /// <summary>A sequence of two segments split at <paramref name="at"/>, so the parser sees segment boundaries too.</summary>
    private static ReadOnlySequence<byte> Split(byte[] bytes, int at)
    {
        if (at <= 0 || at >= bytes.Length)
        {
            return new ReadOnlySequence<byte>(bytes);
        }

        var first = new Segment(bytes.AsMemory(0, at), 0);
        var last = first.Append(bytes.AsMemory(at));
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    [Test]
    public void InviteSplitAtEveryByteNeedsMoreDataUntilComplete()
    {
        var invite = SampleMessages.Invite;
        var expected = MessageShape.Of(SipParser.ParseDatagram(invite).Message!);
        for (var length = 0; length < invite.Length; length++)
        {
            var partial = SipParser.ParseStream(Seq(invite[..length]));
            Assert.That(partial.Status, Is.EqualTo(SipParseStatus.NeedMoreData), "prefix of " + length + " bytes");
            Assert.That(partial.Consumed, Is.Zero);
        }

        var whole = SipParser.ParseStream(Seq(invite));
        Assert.That(whole.Status, Is.EqualTo(SipParseStatus.Message), whole.Error?.ToString());
        Assert.That(whole.Consumed, Is.EqualTo(invite.Length));
        Assert.That(MessageShape.Of(whole.Message!), Is.EqualTo(expected));
        Assert.That(Encoding.ASCII.GetString(whole.Message!.Body.Span), Is.EqualTo(SampleMessages.Sdp));
    }

    [Test]
    public void MultiSegmentBufferSplitAtEveryByteGivesTheSameMessage()
    {
        var invite = SampleMessages.Invite;
        var expected = MessageShape.Of(SipParser.ParseDatagram(invite).Message!);
        for (var at = 1; at < invite.Length; at++)
        {
            var result = SipParser.ParseStream(Split(invite, at));
            Assert.That(result.Status, Is.EqualTo(SipParseStatus.Message), "split at " + at);
            Assert.That(MessageShape.Of(result.Message!), Is.EqualTo(expected), "split at " + at);
        }
    }

    [Test]
    public void TwoMessagesBackToBackAreFramedOneAfterTheOther()
    {
        var both = SampleMessages.Invite.Concat(SampleMessages.Ok).ToArray();
        var first = SipParser.ParseStream(Seq(both));
        Assert.That(first.Status, Is.EqualTo(SipParseStatus.Message));
        Assert.That(first.Consumed, Is.EqualTo(SampleMessages.Invite.Length));
        var second = SipParser.ParseStream(Seq(both[first.Consumed..]));
        Assert.That(second.Status, Is.EqualTo(SipParseStatus.Message));
        Assert.That(second.Message!.IsRequest, Is.False);
        Assert.That(second.Consumed, Is.EqualTo(SampleMessages.Ok.Length));
    }

    [Test]
    public void CrlfKeepAlivesBetweenMessagesAreReportedAndConsumed()
    {
        var stream = "\r\n\r\n"u8.ToArray().Concat(SampleMessages.Register).Concat("\r\n"u8.ToArray()).Concat(SampleMessages.Ok).ToArray();
        var statuses = new List<(SipParseStatus, int)>();
        var offset = 0;
        while (offset < stream.Length)
        {
            var result = SipParser.ParseStream(Seq(stream[offset..]));
            Assert.That(result.Consumed, Is.Positive, result.Status.ToString());
            statuses.Add((result.Status, result.Consumed));
            offset += result.Consumed;
        }

        Assert.That(statuses, Is.EqualTo(new[]
        {
            (SipParseStatus.KeepAlive, 4),
            (SipParseStatus.Message, SampleMessages.Register.Length),
            (SipParseStatus.KeepAlive, 2),
            (SipParseStatus.Message, SampleMessages.Ok.Length),
        }));
    }

    [Test]
    public void EmptyStreamNeedsMoreData()
    {
        Assert.That(SipParser.ParseStream(ReadOnlySequence<byte>.Empty).Status, Is.EqualTo(SipParseStatus.NeedMoreData));
    }

    [Test]
    public void StreamMessageWithoutContentLengthIsRejectedAndLosesFraming()
    {
        var text = Encoding.ASCII.GetString(SampleMessages.Register).Replace("Content-Length: 0\r\n", "", StringComparison.Ordinal);
        var result = SipParser.ParseStream(Seq(Encoding.ASCII.GetBytes(text)));
        Assert.That(result.Status, Is.EqualTo(SipParseStatus.Rejected));
        Assert.That(result.Error!.Fault, Is.EqualTo(SipParseFault.MissingContentLength));
        Assert.That(result.Error.StatusCode, Is.EqualTo(400));
        Assert.That(result.Error.LosesFraming, Is.True);
        Assert.That(result.Error.Partial!.CallId, Is.EqualTo("843817637684230@998sdasdh09"));
    }

    [Test]
    public void DatagramWithoutContentLengthIsAccepted()
    {
        var text = Encoding.ASCII.GetString(SampleMessages.Register).Replace("Content-Length: 0\r\n", "", StringComparison.Ordinal);
        Assert.That(SipParser.ParseDatagram(Encoding.ASCII.GetBytes(text)).Status, Is.EqualTo(SipParseStatus.Message));
    }

    [Test]
    public void MalformedMessageWithGoodContentLengthConsumesItsBodySoTheNextOneParses()
    {
        var bad = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(SampleMessages.Invite).Replace("CSeq: 314159 INVITE", "CSeq: 314159 BYE", StringComparison.Ordinal));
        var stream = bad.Concat(SampleMessages.Ok).ToArray();
        var first = SipParser.ParseStream(Seq(stream));
        Assert.That(first.Status, Is.EqualTo(SipParseStatus.Rejected));
        Assert.That(first.Error!.Fault, Is.EqualTo(SipParseFault.CSeqMethodMismatch));
        Assert.That(first.Error.LosesFraming, Is.False);
        Assert.That(first.Consumed, Is.EqualTo(bad.Length));
        Assert.That(SipParser.ParseStream(Seq(stream[first.Consumed..])).Status, Is.EqualTo(SipParseStatus.Message));
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
