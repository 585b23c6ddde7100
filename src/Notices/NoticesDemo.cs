using System.Globalization;

namespace CallCenter.Notices;

/// <summary>
/// The demo's announcements (only with <c>Demo:Seed</c>): the two shipped notice prompts
/// (<c>notice-1</c>, <c>notice-2</c> of config/prompts/&lt;lang&gt;) stored as recordings in each
/// language, current for ten years. Each has a seed key, so a restart or a second node adds nothing and
/// one an admin deleted stays deleted.
/// </summary>
public sealed class NoticesDemo(string promptRoot)
{
    private static readonly (string Language, string Prompt, string Title)[] _notices =
    [
        ("zh", "notice-1", "节假日交易安排"),
        ("zh", "notice-2", "开户须知"),
        ("en", "notice-1", "Holiday trading notice"),
        ("en", "notice-2", "New accounts"),
    ];

    public async Task SeedAsync(AnnouncementEditor editor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(editor);
        foreach (var (language, prompt, title) in _notices)
        {
            var file = Path.Combine(promptRoot, language, prompt + ".wav");
            if (!File.Exists(file))
            {
                continue;
            }

            var draft = new AnnouncementDraft(title, language, Time(now), Time(now.AddYears(10)), null, new FileInfo(file).Length);
            await editor.CreateAsync(draft, await File.ReadAllBytesAsync(file, cancellationToken), "demo", $"demo-{language}-{prompt}", cancellationToken);
        }
    }

    private static string Time(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
}
