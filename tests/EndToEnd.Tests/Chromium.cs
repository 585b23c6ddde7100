using Microsoft.Playwright;

namespace CallCenter.EndToEnd.Tests;

/// <summary>
/// Debian's Chromium driven by Playwright's driver (shipped inside the NuGet package; no browser is
/// downloaded). A missing browser fails the test, it does not skip it (design.md section 6):
/// scripts/test.sh installs the Debian package chromium.
/// </summary>
internal sealed class Chromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    /// <param name="args">More command-line switches (the browser phone's test: a fake microphone playing a file).</param>
    public static async Task<Chromium> LaunchAsync(IEnumerable<string>? args = null)
    {
        if (!File.Exists(ExecutablePath))
        {
            Assert.Fail($"{ExecutablePath} is missing: scripts/test.sh installs the Debian package chromium.");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ExecutablePath, Headless = true, Args = args?.ToArray() ?? [] });
            return new Chromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A fresh browser profile (its own cookies) at the platform's address, in Mandarin as the desk's users are.</summary>
    public Task<IBrowserContext> NewContextAsync(Uri baseAddress) =>
        Browser.NewContextAsync(new()
        {
            BaseURL = baseAddress.ToString(),
            Locale = "zh-CN",
            ViewportSize = new() { Width = 1280, Height = 900 },
        });

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
    }
}
