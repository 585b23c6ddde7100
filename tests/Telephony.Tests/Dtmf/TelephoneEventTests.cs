using CallCenter.Telephony.Dtmf;

namespace CallCenter.Telephony.Tests.Dtmf;

public sealed class TelephoneEventTests
{
    [Test]
    public void ParsesTheFieldsOfAnEndPacket()
    {
        // RFC 4733 2.3: event 11 ('#'), E set, R set (ignored), volume 10, duration 0x08C0.
        var parsed = TelephoneEvent.Parse([0x0B, 0xCA, 0x08, 0xC0]);

        Assert.That(parsed, Is.EqualTo(new TelephoneEvent(11, true, 10, 0x08C0)));
        Assert.That(parsed.Digit, Is.EqualTo('#'));
    }

    [Test]
    public void WritesWhatItParses()
    {
        for (var code = 0; code < 256; code += 5)
        {
            var original = new TelephoneEvent((byte)code, code % 2 == 0, (byte)(code % 64), (ushort)(code * 257));
            var bytes = new byte[4];
            original.WriteTo(bytes);

            Assert.That(TelephoneEvent.Parse(bytes), Is.EqualTo(original));
            Assert.That(bytes[1] & 0x40, Is.Zero, "R bit is sent as zero");
        }
    }

    [TestCase(0)]
    [TestCase(3)]
    public void RejectsPayloadsShorterThanFourBytes(int length)
    {
        Assert.That(TelephoneEvent.TryParse(new byte[length], out _), Is.False);
        Assert.That(() => TelephoneEvent.Parse(new byte[length]), Throws.TypeOf<FormatException>());
    }

    [Test]
    public void RejectsAVolumeThatDoesNotFitSixBits()
    {
        Assert.That(() => new TelephoneEvent(1, false, 64, 0).WriteTo(new byte[4]), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void MapsEventCodesToDigitsBothWays()
    {
        for (var code = 0; code < 16; code++)
        {
            Assert.That(new TelephoneEvent((byte)code, false, 0, 0).Digit, Is.EqualTo(DtmfDigits.All[code]));
            Assert.That(DtmfDigits.ToEventCode(DtmfDigits.All[code]), Is.EqualTo(code));
        }

        Assert.That(new TelephoneEvent(16, false, 0, 0).Digit, Is.Null, "flash is not a digit");
        Assert.That(DtmfDigits.ToEventCode('d'), Is.EqualTo(15));
        Assert.That(() => DtmfDigits.ToEventCode('x'), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
