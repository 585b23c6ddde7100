using CallCenter.ResourceControl.Clients;

namespace CallCenter.ResourceControl.Tests.Clients;

public sealed class QuarterTests
{
    [Test]
    public void FourthQuarterRunsFromOctoberToTheEndOfDecember()
    {
        var q = new Quarter(2025, 4);

        Assert.That((q.FirstDay, q.LastDay), Is.EqualTo((new DateOnly(2025, 10, 1), new DateOnly(2025, 12, 31))));
        Assert.That((q.Contains(2025, 10), q.Contains(2025, 12), q.Contains(2025, 9), q.Contains(2026, 10)), Is.EqualTo((true, true, false, false)));
    }

    [Test]
    public void QuarterReadsAndWritesAsYearQNumber()
    {
        Assert.That(Quarter.TryParse("2026Q2", out var q), Is.True);
        Assert.That((q.Year, q.Number, q.ToString()), Is.EqualTo((2026, 2, "2026Q2")));
        Assert.That(Quarter.Of(new DateOnly(2026, 6, 30)), Is.EqualTo(q));
    }

    [TestCase("2026Q5")]
    [TestCase("2026-1")]
    [TestCase("26Q1")]
    [TestCase("")]
    public void MalformedQuarterIsRejected(string text) => Assert.That(Quarter.TryParse(text, out _), Is.False);
}
