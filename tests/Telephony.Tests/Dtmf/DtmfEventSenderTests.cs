using CallCenter.Telephony.Dtmf;

namespace CallCenter.Telephony.Tests.Dtmf;

public sealed class DtmfEventSenderTests
{
    [Test]
    public void SendsUpdatesEveryIntervalThenTheEndThreeTimes()
    {
        var packets = DtmfEventSender.Packets('5', TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(20));

        Assert.That(packets.Select(p => p.SendOffset), Is.EqualTo(new uint[] { 160, 320, 480, 640, 800, 960, 1120 }));
        Assert.That(packets.Select(p => (int)p.Event.Duration), Is.EqualTo(new[] { 160, 320, 480, 640, 800, 800, 800 }));
        Assert.That(packets.Select(p => p.IsEnd), Is.EqualTo(new[] { false, false, false, false, true, true, true }));
        Assert.That(packets.Select(p => p.Marker), Is.EqualTo(new[] { true, false, false, false, false, false, false }));
        Assert.That(packets.Select(p => p.Event.EventCode).Distinct(), Is.EqualTo(new byte[] { 5 }));
        Assert.That(packets.Select(p => p.Event.Volume).Distinct(), Is.EqualTo(new byte[] { DtmfEventSender.DefaultVolume }));
    }

    [Test]
    public void AToneNoLongerThanOneIntervalIsOnlyEndPacketsAndTheFirstHasTheMarker()
    {
        var packets = DtmfEventSender.Packets('#', TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(20));

        Assert.That(packets, Has.Count.EqualTo(3));
        Assert.That(packets.All(p => p.IsEnd && p.Event.Duration == 160), Is.True);
        Assert.That(packets.Select(p => p.Marker), Is.EqualTo(new[] { true, false, false }));
    }

    [Test]
    public void HonoursTheClockRate()
    {
        var packets = DtmfEventSender.Packets('1', TimeSpan.FromMilliseconds(60), TimeSpan.FromMilliseconds(20), clockRate: 48000);

        Assert.That(packets.Select(p => (int)p.Event.Duration), Is.EqualTo(new[] { 960, 1920, 2880, 2880, 2880 }));
    }

    [Test]
    public void RejectsWhatItCannotSend()
    {
        Assert.That(() => DtmfEventSender.Packets('x'), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => DtmfEventSender.Packets('1', TimeSpan.Zero, TimeSpan.FromMilliseconds(20)), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => DtmfEventSender.Packets('1', TimeSpan.FromSeconds(9), TimeSpan.FromMilliseconds(20)), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => DtmfEventSender.Packets('1', TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(20), volume: 64), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void EveryDigitSentIsReceivedOnce()
    {
        var receiver = new DtmfEventReceiver();
        var received = new List<char>();
        var buffer = new byte[4];
        ushort sequence = 1000;
        uint start = 12345;
        foreach (var digit in DtmfDigits.All)
        {
            foreach (var packet in DtmfEventSender.Packets(digit))
            {
                packet.WritePayload(buffer);
                if (receiver.Handle(start, packet.Marker, sequence++, buffer) is { } got)
                {
                    received.Add(got);
                }
            }

            start += 2000;
        }

        Assert.That(new string([.. received]), Is.EqualTo(DtmfDigits.All));
    }
}
