namespace CallCenter.Notices.Tests;

/// <summary>The checks on what an admin sends, each naming its field.</summary>
public sealed class AnnouncementDraftTests
{
    private static readonly DateTimeOffset _now = new(2026, 12, 4, 1, 0, 0, TimeSpan.Zero);

    [TestCase("", "zh", null, "2026-12-31T00:00:00Z", "hi", null, "title")]
    [TestCase("t", "fr", null, "2026-12-31T00:00:00Z", "hi", null, "language")]
    [TestCase("t", "zh", "tomorrow", "2026-12-31T00:00:00Z", "hi", null, "startsAt")]
    [TestCase("t", "zh", null, "2026-12-31T00:00:00", "hi", null, "endsAt")]
    [TestCase("t", "zh", null, null, "hi", null, "endsAt")]
    [TestCase("t", "zh", "2026-12-31T00:00:00Z", "2026-12-30T00:00:00Z", "hi", null, "endsAt")]
    [TestCase("t", "zh", null, "2026-12-03T00:00:00Z", "hi", null, "endsAt")]
    [TestCase("t", "zh", null, "2026-12-31T00:00:00Z", null, null, "recording")]
    [TestCase("t", "zh", null, "2026-12-31T00:00:00Z", "hi", 1000L, "recording")]
    [TestCase("t", "zh", null, "2026-12-31T00:00:00Z", null, 0L, "recording")]
    [TestCase("t", "zh", null, "2026-12-31T00:00:00Z", null, 30_000_000L, "recording")]
    [TestCase("t", "zh", null, "2026-12-31T00:00:00Z", "a\u0000b", null, "text")]
    public void EachProblemNamesItsField(string? title, string? language, string? starts, string? ends, string? text, long? bytes, string field)
    {
        var (value, problem, error) = new AnnouncementDraft(title, language, starts, ends, text, bytes).Check(_now);

        Assert.That((value, problem), Is.EqualTo(((AnnouncementDraft.Checked?)null, field)), error);
        Assert.That(error, Is.Not.Empty);
    }

    [Test]
    public void AStartIsNowWhenNotGivenAndOffsetsAreKept()
    {
        var (value, _, _) = new AnnouncementDraft(" 公告 ", "zh", null, "2026-12-31T17:00:00+08:00", " 文本 ", null).Check(_now);

        Assert.That(value, Is.EqualTo(new AnnouncementDraft.Checked("公告", "zh", _now, new DateTimeOffset(2026, 12, 31, 9, 0, 0, TimeSpan.Zero), "文本")));
    }
}
