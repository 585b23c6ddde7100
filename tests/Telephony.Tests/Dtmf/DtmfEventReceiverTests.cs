using CallCenter.Telephony.Dtmf;

namespace CallCenter.Telephony.Tests.Dtmf;

public sealed class DtmfEventReceiverTests
{
    private const int TelephoneEventPayloadType = 101;

    private readonly List<char> _digits = [];
    private DtmfEventReceiver _receiver = null!;

    [SetUp]
    public void CreateReceiver()
    {
        _receiver = new DtmfEventReceiver();
        _digits.Clear();
    }

    [TestCase("0", '0')]
    [TestCase("1", '1')]
    [TestCase("2", '2')]
    [TestCase("3", '3')]
    [TestCase("4", '4')]
    [TestCase("5", '5')]
    [TestCase("6", '6')]
    [TestCase("7", '7')]
    [TestCase("8", '8')]
    [TestCase("9", '9')]
    [TestCase("pound", '#')]
    [TestCase("star", '*')]
    public void EachOfSippsCapturesYieldsItsDigitOnce(string name, char expected)
    {
        var packets = SippDtmfCaptures.Read(name);
        Assert.That(packets, Has.Count.GreaterThanOrEqualTo(4), "an event with updates and end packets");
        Assert.That(packets.Select(p => p.PayloadType).Distinct(), Is.EqualTo(new[] { TelephoneEventPayloadType }));

        foreach (var packet in packets)
        {
            Feed(packet.Timestamp, packet.Marker, packet.SequenceNumber, packet.Payload);
        }

        Assert.That(_digits, Is.EqualTo(new[] { expected }));
        Assert.That(_receiver.InEvent, Is.False, "the capture ends with end packets");
    }

    [Test]
    public void TheDigitIsReportedOnTheFirstPacketOfTheEvent()
    {
        Assert.That(_receiver.Handle(8000, true, 1, Event('7', false, 0)), Is.EqualTo('7'));
        Assert.That(_receiver.InEvent, Is.True);
    }

    [Test]
    public void RedundantEndPacketsDoNotRepeatTheDigit()
    {
        Feed(8000, true, 1, Event('4', false, 160));
        Feed(8000, false, 2, Event('4', false, 320));
        Feed(8000, false, 3, Event('4', true, 480));
        Feed(8000, false, 4, Event('4', true, 480));
        Feed(8000, false, 5, Event('4', true, 480));
        Feed(8000, false, 5, Event('4', true, 480));

        Assert.That(_digits, Is.EqualTo(new[] { '4' }));
        Assert.That(_receiver.InEvent, Is.False);
    }

    [Test]
    public void ALostStartPacketStillReportsTheDigitOnTheFirstUpdate()
    {
        Feed(8000, false, 3, Event('9', false, 480));
        Feed(8000, false, 4, Event('9', true, 640));

        Assert.That(_digits, Is.EqualTo(new[] { '9' }));
    }

    [Test]
    public void RetransmittedPacketsOfAnEarlierEventAreIgnored()
    {
        Feed(8000, true, 10, Event('1', false, 160));
        Feed(8000, false, 11, Event('1', true, 320));
        Feed(9000, true, 12, Event('2', false, 160));

        // The whole of the first event again, as a misbehaving middlebox might replay it.
        Feed(8000, true, 10, Event('1', false, 160));
        Feed(8000, false, 11, Event('1', true, 320));
        Feed(9000, false, 13, Event('2', true, 320));

        Assert.That(_digits, Is.EqualTo(new[] { '1', '2' }));
    }

    [Test]
    public void OutOfOrderPacketsOfTheEarlierEventAreIgnored()
    {
        // The second event's start overtakes the first event's end packets.
        Feed(8000, true, 20, Event('5', false, 160));
        Feed(9600, true, 24, Event('6', false, 160));
        Feed(8000, false, 21, Event('5', true, 320));
        Feed(8000, false, 22, Event('5', true, 320));
        Feed(8000, false, 23, Event('5', true, 320));
        Feed(9600, false, 25, Event('6', true, 320));

        Assert.That(_digits, Is.EqualTo(new[] { '5', '6' }));
    }

    [Test]
    public void TheSameDigitPressedTwiceIsReportedTwice()
    {
        Feed(8000, true, 1, Event('3', true, 800));
        Feed(8000, false, 2, Event('3', true, 800));
        Feed(9600, true, 3, Event('3', true, 800));
        Feed(9600, false, 4, Event('3', true, 800));

        Assert.That(_digits, Is.EqualTo(new[] { '3', '3' }));
    }

    [Test]
    public void ANeverEndingEventReportsOnceAndDoesNotBlockTheNext()
    {
        ushort sequence = 1;
        for (var i = 1; i <= 5000; i++)
        {
            Feed(8000, i == 1, sequence++, Event('8', false, (ushort)Math.Min(i * 160, ushort.MaxValue)));
        }

        Assert.That(_digits, Is.EqualTo(new[] { '8' }));
        Assert.That(_receiver.InEvent, Is.True);

        Feed(900_000, true, sequence, Event('0', false, 160));
        Assert.That(_digits, Is.EqualTo(new[] { '8', '0' }));
    }

    [Test]
    public void ASegmentOfAHeldKeyIsNotANewPress()
    {
        // RFC 4733 2.5.1.3: past 65535 units the sender starts a new segment with a new timestamp.
        Feed(8000, true, 1, Event('*', false, 160));
        Feed(8000, false, 2, Event('*', false, 65535));
        Feed(8000 + 65535, false, 3, Event('*', false, 160));
        Feed(8000 + 65535, false, 4, Event('*', true, 800));

        Assert.That(_digits, Is.EqualTo(new[] { '*' }));
    }

    [Test]
    public void AFloodOfEventsYieldsOneDigitEach()
    {
        ushort sequence = 65000; // wraps during the flood
        uint timestamp = uint.MaxValue - 100_000; // so does the timestamp
        var expected = new List<char>();
        for (var i = 0; i < 1000; i++)
        {
            var digit = DtmfDigits.All[i % 16];
            expected.Add(digit);
            Feed(timestamp, true, sequence++, Event(digit, false, 160));
            Feed(timestamp, false, sequence++, Event(digit, true, 320));
            Feed(timestamp, false, sequence, Event(digit, true, 320));
            Feed(timestamp, false, sequence++, Event(digit, true, 320));
            timestamp += 400;
        }

        Assert.That(_digits, Is.EqualTo(expected));
    }

    [Test]
    public void ARestartedSequenceIsANewStream()
    {
        Feed(8000, true, 30000, Event('1', true, 800));
        Feed(500, true, 7, Event('2', true, 800));

        Assert.That(_digits, Is.EqualTo(new[] { '1', '2' }));
    }

    [Test]
    public void ResetForgetsTheCurrentEvent()
    {
        Feed(8000, true, 10, Event('1', false, 160));
        _receiver.Reset();
        Feed(8000, true, 5, Event('1', false, 160));

        Assert.That(_digits, Is.EqualTo(new[] { '1', '1' }));
    }

    [Test]
    public void ShortPayloadsAndEventsThatAreNotDigitsAreIgnored()
    {
        Feed(8000, true, 1, [0x01, 0x0A, 0x00]);
        Feed(8000, true, 2, [16, 0x0A, 0x00, 0xA0]); // flash
        Feed(8000, false, 3, Event('1', false, 320));

        Assert.That(_digits, Is.EqualTo(new[] { '1' }));
    }

    [Test]
    public void HandlingAllocatesNothing()
    {
        var start = Event('1', false, 160);
        var end = Event('1', true, 320);
        _receiver.Handle(1, true, 1, start);

        var before = GC.GetAllocatedBytesForCurrentThread();
        ushort sequence = 2;
        for (uint i = 0; i < 10_000; i++)
        {
            _receiver.Handle(i * 400, true, sequence++, start);
            _receiver.Handle(i * 400, false, sequence++, end);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    private static byte[] Event(char digit, bool end, ushort duration)
    {
        var bytes = new byte[TelephoneEvent.Size];
        new TelephoneEvent(DtmfDigits.ToEventCode(digit), end, 10, duration).WriteTo(bytes);
        return bytes;
    }

    private void Feed(uint timestamp, bool marker, ushort sequence, byte[] payload)
    {
        if (_receiver.Handle(timestamp, marker, sequence, payload) is { } digit)
        {
            _digits.Add(digit);
        }
    }
}
