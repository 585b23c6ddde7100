using CallCenter.Data;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using NAudio.Wave;

namespace CallCenter.Notices.Tests;

/// <summary>
/// Announcements made through the editor and read by the notices menu's side, on SQLite and
/// PostgreSQL: the window of dates, the language, deletion, the demo's seed key, text spoken by the
/// real espeak-ng, and refusals that store nothing.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Providers))]
public sealed class AnnouncementStoreTests(string provider)
{
    private static readonly DateTimeOffset _t = new(2026, 12, 4, 1, 0, 0, TimeSpan.Zero);

    private TestDatabase _db = null!;
    private ManualTimeProvider _time = null!;
    private AnnouncementStore _store = null!;
    private AnnouncementEditor _editor = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _db = await TestDatabase.CreateAsync(provider);
        await new Migrator(_db.Factory).MigrateAsync();
        _time = new ManualTimeProvider(_t);
        _store = new AnnouncementStore(_db.Factory);
        _editor = new AnnouncementEditor(_store, _time, NullLogger<AnnouncementEditor>.Instance);
    }

    [TearDown]
    public async Task TearDownAsync() => await _db.DisposeAsync();

    private static byte[] Wav(double seconds)
    {
        var memory = new MemoryStream();
        using (var writer = new WaveFileWriter(memory, new WaveFormat(44100, 16, 2)))
        {
            for (var i = 0; i < (int)(seconds * 44100); i++)
            {
                var value = (float)(0.5 * Math.Sin(2 * Math.PI * 440 * i / 44100));
                writer.WriteSample(value);
                writer.WriteSample(value);
            }
        }

        return memory.ToArray();
    }

    private async Task<Announcement> RecordingAsync(string title, string language, string starts, string ends, double seconds = 1.0)
    {
        var wav = Wav(seconds);
        var (made, field, error) = await _editor.CreateAsync(new AnnouncementDraft(title, language, starts, ends, null, wav.Length), wav, "admin", null, default);
        Assert.That(made, Is.Not.Null, $"{field}: {error}");
        return made!;
    }

    private async Task<long> RowsAsync()
    {
        await using var connection = await _db.Factory.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM announcements");
    }

    [Test]
    public async Task OnlyAnnouncementsWithinTheirDatesAndInTheCallersLanguagePlayNewestFirst()
    {
        var old = await RecordingAsync("old", "zh", "2026-12-01T00:00:00+08:00", "2026-12-31T00:00:00+08:00");
        var newer = await RecordingAsync("newer", "zh", "2026-12-03T00:00:00+08:00", "2026-12-31T00:00:00+08:00", seconds: 2.0);
        await RecordingAsync("english", "en", "2026-12-01T00:00:00Z", "2026-12-31T00:00:00Z");
        await RecordingAsync("future", "zh", "2026-12-05T00:00:00+08:00", "2026-12-31T00:00:00+08:00");
        await RecordingAsync("ended", "zh", "2026-11-01T00:00:00+08:00", "2026-12-04T09:00:00+08:00");

        var announcements = new Announcements(_store, _time);
        var current = await announcements.CurrentAsync("zh", 9, default);

        Assert.That(current.Select(c => c.Title), Is.EqualTo(new[] { "newer", "old" }), "at 09:00 +08:00 on 4 December");
        Assert.That(current[0].Duration.TotalSeconds, Is.EqualTo(2.0).Within(0.01));
        Assert.That(announcements.AudioOf(newer.Id)!.Length, Is.EqualTo(16_000).Within(80), "loaded for the call's loop before the answer");
        Assert.That(announcements.AudioOf(old.Id), Is.Not.Null);

        _time.Advance(TimeSpan.FromDays(30));
        Assert.That(await announcements.CurrentAsync("zh", 9, default), Is.Empty, "all ended by 3 January");
    }

    [Test]
    public async Task ADeletedAnnouncementNoLongerPlaysOrListsButAPlayingCallStillFindsItsAudio()
    {
        var made = await RecordingAsync("gone", "zh", "2026-12-01T00:00:00+08:00", "2026-12-31T00:00:00+08:00");

        Assert.That(await _store.DeleteAsync(made.Id, _t, default), Is.True);
        Assert.That(await _store.DeleteAsync(made.Id, _t, default), Is.False);
        Assert.That(await _store.ListAsync(default), Is.Empty);
        Assert.That(await _store.CurrentAsync("zh", _t, 9, default), Is.Empty);
        Assert.That(await _store.AudioAsync(made.Id, default), Is.Not.Null);
    }

    [Test]
    public async Task TheDemosSeedKeyStoresOnceEvenAfterADelete()
    {
        var wav = Wav(0.5);
        var draft = new AnnouncementDraft("demo", "en", null, "2036-01-01T00:00:00Z", null, wav.Length);
        var first = await _editor.CreateAsync(draft, wav, "demo", "demo-en-notice-1", default);
        await _store.DeleteAsync(first.Made!.Id, _t, default);
        var second = await _editor.CreateAsync(draft, wav, "demo", "demo-en-notice-1", default);

        Assert.That(second.Made, Is.Null);
        Assert.That(await RowsAsync(), Is.EqualTo(1));
    }

    [TestCase("zh", "节假日交易安排：国庆节假期期间，证券交易所休市。")]
    [TestCase("en", "The exchanges are closed on Friday.")]
    public async Task ATextIsSpokenByEspeakNgWhenSaved(string language, string text)
    {
        var (made, field, error) = await _editor.CreateAsync(new AnnouncementDraft("spoken", language, null, "2026-12-31T00:00:00Z", text, null), null, "admin", null, default);

        Assert.That(made, Is.Not.Null, $"{field}: {error}");
        Assert.That((made!.Source, made.Text), Is.EqualTo(("text", text)));
        Assert.That(made.Duration.TotalSeconds, Is.GreaterThan(1.0), "espeak-ng made speech of it");
        var samples = await _store.AudioAsync(made.Id, default);
        Assert.That(samples!.Max(s => Math.Abs((int)s)), Is.GreaterThan(3000), "not silence");
    }

    [Test]
    public async Task ATextThatLooksLikeAnOptionIsSpokenNotObeyed()
    {
        var (made, _, error) = await _editor.CreateAsync(new AnnouncementDraft("dash", "en", null, "2026-12-31T00:00:00Z", "-w /tmp/owned.wav --version", null), null, "admin", null, default);

        Assert.That(error, Is.Null);
        Assert.That(made!.Duration.TotalSeconds, Is.GreaterThan(1.0));
        Assert.That(File.Exists("/tmp/owned.wav"), Is.False);
    }

    [Test]
    public async Task WithoutEspeakNgATextIsRefusedWithTheReasonAndNothingIsStored()
    {
        var editor = new AnnouncementEditor(_store, _time, NullLogger<AnnouncementEditor>.Instance, "/nonexistent/espeak-ng");

        var (made, field, error) = await editor.CreateAsync(new AnnouncementDraft("t", "zh", null, "2026-12-31T00:00:00Z", "你好", null), null, "admin", null, default);

        Assert.That((made, field), Is.EqualTo(((Announcement?)null, "text")));
        Assert.That(error, Does.Contain("espeak-ng is not installed"));
        Assert.That(await RowsAsync(), Is.Zero);
    }

    [Test]
    public async Task ABadRecordingIsRefusedWithTheReasonAndNothingIsStored()
    {
        var junk = new byte[1000];
        var (made, field, error) = await _editor.CreateAsync(new AnnouncementDraft("t", "zh", null, "2026-12-31T00:00:00Z", null, junk.Length), junk, "admin", null, default);

        Assert.That((made, field, error), Is.EqualTo(((Announcement?)null, "recording", "the file is not a WAV file (no RIFF/WAVE header)")));
        Assert.That(await RowsAsync(), Is.Zero);
    }
}
