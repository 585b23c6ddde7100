using CallCenter.Ivr.Say;

namespace CallCenter.Ivr.Tests.Say;

public sealed class EnglishSayTests
{
    [TestCase(0, "zero")]
    [TestCase(7, "seven")]
    [TestCase(13, "thirteen")]
    [TestCase(19, "nineteen")]
    [TestCase(20, "twenty")]
    [TestCase(21, "twenty one")]
    [TestCase(99, "ninety nine")]
    [TestCase(100, "one hundred")]
    [TestCase(105, "one hundred five")]
    [TestCase(110, "one hundred ten")]
    [TestCase(999, "nine hundred ninety nine")]
    [TestCase(1000, "one thousand")]
    [TestCase(1001, "one thousand one")]
    [TestCase(1234, "one thousand two hundred thirty four")]
    [TestCase(10005, "ten thousand five")]
    [TestCase(120000, "one hundred twenty thousand")]
    [TestCase(1000000, "one million")]
    [TestCase(1000001, "one million one")]
    [TestCase(2500000, "two million five hundred thousand")]
    [TestCase(100000000, "one hundred million")]
    [TestCase(1000000000, "one billion")]
    [TestCase(123456789012, "one hundred twenty three billion four hundred fifty six million seven hundred eighty nine thousand twelve")]
    public void NumbersByThousandMillionBillionWithoutAnd(long value, string expected) =>
        Assert.That(SpokenText.Of(IvrSay.Number("en", value)), Is.EqualTo(expected));

    [TestCase("12.30", "twelve yuan thirty fen")]
    [TestCase("0.05", "five fen")]
    [TestCase("0", "zero yuan")]
    [TestCase("1", "one yuan")]
    [TestCase("1000000.01", "one million yuan one fen")]
    [TestCase("0.99", "ninety nine fen")]
    public void AmountsInYuanAndFen(string amount, string expected) =>
        Assert.That(SpokenText.Of(IvrSay.Currency("en", decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture))), Is.EqualTo(expected));

    [TestCase(2026, 11, 22, "November twenty second twenty twenty six")]
    [TestCase(2026, 1, 1, "January first twenty twenty six")]
    [TestCase(2026, 3, 20, "March twentieth twenty twenty six")]
    [TestCase(2026, 5, 30, "May thirtieth twenty twenty six")]
    [TestCase(2026, 7, 31, "July thirty first twenty twenty six")]
    [TestCase(2026, 2, 13, "February thirteenth twenty twenty six")]
    [TestCase(2005, 6, 3, "June third two thousand five")]
    [TestCase(1905, 9, 9, "September ninth nineteen oh five")]
    [TestCase(1900, 12, 25, "December twenty fifth nineteen hundred")]
    [TestCase(2010, 4, 2, "April second twenty ten")]
    public void DatesWithOrdinalDaysAndPairedYears(int year, int month, int day, string expected) =>
        Assert.That(SpokenText.Of(IvrSay.Date("en", new DateOnly(year, month, day))), Is.EqualTo(expected));

    [Test]
    public void DigitsOneByOne() =>
        Assert.That(SpokenText.Of(IvrSay.Digits("en", "95500")), Is.EqualTo("nine five five zero zero"));

    [TestCase(1, 1, "you are number one in the queue, the estimated wait is one minute")]
    [TestCase(4, 12, "you are number four in the queue, the estimated wait is twelve minutes")]
    [TestCase(21, null, "you are number twenty one in the queue,")]
    public void QueuePositionAnnouncement(int position, int? minutes, string expected) =>
        Assert.That(SpokenText.Of(IvrSay.QueuePosition("en", position, minutes)), Is.EqualTo(expected));

    [TestCase(IvrSayKind.Digits, "0123", true)]
    [TestCase(IvrSayKind.Digits, "12 3", false)]
    [TestCase(IvrSayKind.Digits, "", false)]
    [TestCase(IvrSayKind.Number, "42", true)]
    [TestCase(IvrSayKind.Number, "-42", false)]
    [TestCase(IvrSayKind.Number, "1000000000000", false)]
    [TestCase(IvrSayKind.Currency, "12.30", true)]
    [TestCase(IvrSayKind.Currency, "12.305", false)]
    [TestCase(IvrSayKind.Currency, "1,000", false)]
    [TestCase(IvrSayKind.Date, "2026-11-22", true)]
    [TestCase(IvrSayKind.Date, "2026-02-30", false)]
    [TestCase(IvrSayKind.Date, "22/11/2026", false)]
    public void TextParsesOnlyInItsInvariantForm(IvrSayKind kind, string text, bool expected)
    {
        Assert.That(IvrSay.TrySay("en", kind, text, out var prompts), Is.EqualTo(expected));
        Assert.That(prompts, expected ? Is.Not.Empty : Is.Empty);
    }
}
