using CallCenter.Contracts.Notices;
using CallCenter.ResourceControl.Calls;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>Announcements uploaded at run time play as the prompt announcement-&lt;id&gt; from the audio the notices room loaded.</summary>
public sealed class PromptLibraryAnnouncementTests
{
    private sealed class LoadedAnnouncements(long id, short[] samples) : IAnnouncements
    {
        public int Asked { get; private set; }

        public Task<IReadOnlyList<CurrentAnnouncement>> CurrentAsync(string language, int limit, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<CurrentAnnouncement>>([]);

        public short[]? AudioOf(long id1)
        {
            Asked++;
            return id1 == id ? samples : null;
        }
    }

    [Test]
    public void AnAnnouncementsAudioPlaysInAnyLanguageAndIsEncodedOnce()
    {
        var samples = Enumerable.Range(0, 24_000).Select(i => (short)(i % 200 * 100)).ToArray();
        var announcements = new LoadedAnnouncements(17, samples);
        var library = new PromptLibrary(Path.Combine(Path.GetTempPath(), "no-prompts-here"), announcements);

        var zh = library.Get("zh", "announcement-17");
        var en = library.Get("en", "announcement-17");

        Assert.That(zh.Samples, Is.EqualTo(24_000));
        Assert.That(en, Is.SameAs(zh));
        Assert.That(announcements.Asked, Is.EqualTo(1));
    }

    [TestCase("announcement-18")]
    [TestCase("announcement-")]
    [TestCase("announcement-+17")]
    [TestCase("notice-17")]
    public void AnythingElseIsTheUsualSilence(string name)
    {
        var library = new PromptLibrary(Path.Combine(Path.GetTempPath(), "no-prompts-here"), new LoadedAnnouncements(17, new short[8000]));

        Assert.That(library.Get("zh", name).Samples, Is.EqualTo(160));
    }
}
