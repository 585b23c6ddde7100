using CallCenter.Ivr.Say;

namespace CallCenter.Ivr.Tests.Say;

public sealed class MandarinSayTests
{
    [TestCase(0, "零")]
    [TestCase(1, "一")]
    [TestCase(2, "二")]
    [TestCase(10, "十")]
    [TestCase(11, "十一")]
    [TestCase(12, "十二")]
    [TestCase(20, "二十")]
    [TestCase(22, "二十二")]
    [TestCase(100, "一百")]
    [TestCase(101, "一百零一")]
    [TestCase(110, "一百一十")]
    [TestCase(115, "一百一十五")]
    [TestCase(200, "两百")]
    [TestCase(999, "九百九十九")]
    [TestCase(1000, "一千")]
    [TestCase(1005, "一千零五")]
    [TestCase(1010, "一千零一十")]
    [TestCase(1050, "一千零五十")]
    [TestCase(1500, "一千五百")]
    [TestCase(1200, "一千二百")]
    [TestCase(2222, "两千二百二十二")]
    [TestCase(2200000, "两百二十万")]
    [TestCase(9999, "九千九百九十九")]
    [TestCase(10000, "一万")]
    [TestCase(10005, "一万零五")]
    [TestCase(10010, "一万零一十")]
    [TestCase(10500, "一万零五百")]
    [TestCase(11000, "一万一千")]
    [TestCase(20000, "两万")]
    [TestCase(22000, "两万两千")]
    [TestCase(1_0200_0000, "一亿零两百万")]
    [TestCase(220000, "二十二万")]
    [TestCase(100000, "十万")]
    [TestCase(100010, "十万零一十")]
    [TestCase(120000, "十二万")]
    [TestCase(1000000, "一百万")]
    [TestCase(1234567, "一百二十三万四千五百六十七")]
    [TestCase(10000000, "一千万")]
    [TestCase(100000000, "一亿")]
    [TestCase(100000005, "一亿零五")]
    [TestCase(100010000, "一亿零一万")]
    [TestCase(101000000, "一亿零一百万")]
    [TestCase(110000000, "一亿一千万")]
    [TestCase(200000000, "两亿")]
    [TestCase(1000000000, "十亿")]
    [TestCase(123456789012, "一千二百三十四亿五千六百七十八万九千零一十二")]
    [TestCase(999999999999, "九千九百九十九亿九千九百九十九万九千九百九十九")]
    public void NumbersGroupBy10000WithZeroRules(long value, string expected) =>
        Assert.That(SpokenText.Of(IvrSay.Number("zh", value)), Is.EqualTo(expected));

    [TestCase("12.30", "十二元三角")]
    [TestCase("0.05", "五分")]
    [TestCase("0.5", "五角")]
    [TestCase("0", "零元")]
    [TestCase("1", "一元")]
    [TestCase("2", "两元")]
    [TestCase("0.22", "两角两分")]
    [TestCase("12.05", "十二元零五分")]
    [TestCase("12.35", "十二元三角五分")]
    [TestCase("100.00", "一百元")]
    [TestCase("1000000.01", "一百万元零一分")]
    [TestCase("10005.10", "一万零五元一角")]
    public void AmountsInYuanJiaoFen(string amount, string expected) =>
        Assert.That(SpokenText.Of(IvrSay.Currency("zh", decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture))), Is.EqualTo(expected));

    [TestCase(2026, 11, 22, "二零二六年十一月二十二日")]
    [TestCase(2000, 1, 1, "二零零零年一月一日")]
    [TestCase(1999, 2, 10, "一九九九年二月十日")]
    [TestCase(2026, 12, 31, "二零二六年十二月三十一日")]
    public void DatesReadTheYearDigitByDigit(int year, int month, int day, string expected) =>
        Assert.That(SpokenText.Of(IvrSay.Date("zh", new DateOnly(year, month, day))), Is.EqualTo(expected));

    [Test]
    public void DigitsReadOneAsYao() =>
        Assert.That(SpokenText.Of(IvrSay.Digits("zh", "13800000001")), Is.EqualTo("幺三八零零零零零零零幺"));

    [TestCase(3, null, "您现在排在第三位，")]
    [TestCase(12, 2, "您现在排在第十二位，预计等待两分钟")]
    [TestCase(2, 15, "您现在排在第二位，预计等待十五分钟")]
    public void QueuePositionAnnouncement(int position, int? minutes, string expected) =>
        Assert.That(SpokenText.Of(IvrSay.QueuePosition("zh", position, minutes)), Is.EqualTo(expected));

    [Test]
    public void OutOfRangeValuesAreRefused()
    {
        Assert.That(() => IvrSay.Number("zh", -1), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => IvrSay.Number("zh", 1_000_000_000_000), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => IvrSay.Currency("zh", -0.01m), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => IvrSay.Digits("zh", "12a"), Throws.ArgumentException);
    }
}
