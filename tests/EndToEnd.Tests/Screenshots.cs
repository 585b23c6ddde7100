using CallCenter.TestSupport;
using Microsoft.Playwright;

namespace CallCenter.EndToEnd.Tests;

/// <summary>
/// Screenshots of the pages a test visits, numbered in the order taken: attached to the test (the
/// trx logger copies them into the test results directory) and kept under artifacts/screenshots/
/// in the repository (gitignored) for a person to look at.
/// </summary>
internal sealed class Screenshots
{
    private readonly string _directory;
    private int _count;

    public Screenshots()
    {
        var test = TestContext.CurrentContext.Test;
        _directory = System.IO.Path.Combine(Fixtures.RepositoryRoot, "artifacts", "screenshots", test.ClassName?.Split('.')[^1] ?? "tests", test.Name);
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        Directory.CreateDirectory(_directory);
    }

    /// <summary>Saves the whole page as <c>NN-step.png</c> and attaches it to the running test.</summary>
    public async Task TakeAsync(IPage page, string step)
    {
        ArgumentNullException.ThrowIfNull(page);
        var file = System.IO.Path.Combine(_directory, $"{Interlocked.Increment(ref _count):00}-{step}.png");
        await page.ScreenshotAsync(new() { Path = file, FullPage = true });
        TestContext.AddTestAttachment(file, step);
    }
}
