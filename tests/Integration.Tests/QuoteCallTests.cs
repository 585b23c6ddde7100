using System.Globalization;
using System.Text.Json;

namespace CallCenter.Integration.Tests;

/// <summary>
/// Stock quotes on the 95500 line (main menu 1 notices, then 2) with real sipp callers keying RFC 4733
/// events, against the built-in quote table with the demo quotes: an unknown code has its own prompt,
/// a known one is read through to its change, up or down as the table has it (600000 10.50 against
/// 10.40, 600036 35.20 against 35.60, 000001 11.80 against 11.75), and the caller is back at the
/// notices menu. The call record's IVR path is what shows which branch each answer took.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public sealed class QuoteCallTests
{
    private PlatformProcess _platform = null!;
    private string _captures = null!;

    [OneTimeSetUp]
    public async Task StartPlatform()
    {
        _captures = Directory.CreateTempSubdirectory("quote-dtmf-").FullName;
        _platform = await PlatformProcess.StartAsync("--Logging:LogLevel:Default=Information");
    }

    [OneTimeTearDown]
    public async Task StopPlatform()
    {
        await _platform.DisposeAsync();
        Directory.Delete(_captures, recursive: true);
    }

    private async Task<List<string>> CallAsync(string caller, params string[] steps)
    {
        var template = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Scenarios", "ivr-keys.xml"));
        var scenario = Path.Combine(Path.GetTempPath(), $"quote-{Guid.NewGuid():N}.xml");
        await File.WriteAllTextAsync(scenario, template
            .Replace("{CALLER}", caller, StringComparison.Ordinal)
            .Replace("{KEYS}", DtmfKeys.Steps(_captures, steps), StringComparison.Ordinal));
        try
        {
            var result = await Sipp.RunAsync(
                $"127.0.0.1:{_platform.SipPort}",
                TimeSpan.FromSeconds(150),
                "-sf", scenario, "-s", "95500", "-m", "1",
                "-mp", CallCenter.TestSupport.FreePorts.UdpBlock(4).ToString(CultureInfo.InvariantCulture), "-timeout", "120s", "-timeout_error");
            Assert.That(result.ExitCode, Is.Zero, result.Output + _platform.Output);
        }
        finally
        {
            File.Delete(scenario);
        }

        var record = await _platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == caller, TimeSpan.FromSeconds(10));
        Assert.That(record, Is.Not.Null, "no call record\n" + _platform.Output);
        return [.. record!.Value.GetProperty("ivrPath").EnumerateArray().Select(e => e.GetString()!)];
    }

    /// <summary>The nodes entered after each quote look-up, up to the next look-up.</summary>
    private static List<string[]> AfterLookups(List<string> path)
    {
        var starts = path.Select((node, i) => (node, i)).Where(p => p.node == "95500.quoteLookup").Select(p => p.i).ToList();
        return [.. starts.Select((start, n) => path.Skip(start + 1).Take((n + 1 < starts.Count ? starts[n + 1] : path.Count) - start - 1).ToArray())];
    }

    [Test]
    public async Task AnUnknownCodeThenAFallThenARiseAreReadInMandarinFromTheQuoteTable()
    {
        var path = await CallAsync("13900000101",
            "1", "+1500", "1", "+800", "2", "+800", "999999#", "+3500",
            "600036#", "+16000", "2", "+800", "600000#", "+16000");

        var lookups = AfterLookups(path);
        var shown = string.Join(" ", path) + "\n" + _platform.Output;
        Assert.That(lookups, Has.Count.EqualTo(3), shown);
        Assert.Multiple(() =>
        {
            Assert.That(path, Does.Contain("95500.zh").And.Contain("95500.notices"));
            Assert.That(lookups[0][0], Is.EqualTo("95500.quoteUnknown"), shown);
            Assert.That(lookups[1], Is.EqualTo(new[]
            {
                "95500.quoteCodeSay", "95500.quoteName", "95500.quoteLast", "95500.quoteTrend", "95500.quoteDown", "95500.notices", "95500.quoteCode",
            }), "600036 fell: read through to the change, then the notices menu\n" + shown);
            Assert.That(lookups[2][..6], Is.EqualTo(new[]
            {
                "95500.quoteCodeSay", "95500.quoteName", "95500.quoteLast", "95500.quoteTrend", "95500.quoteUp", "95500.notices",
            }), "600000 rose\n" + shown);
            Assert.That(_platform.Output, Does.Contain("back office quote at 95500.quoteLookup#").And.Contain(": known"));
        });
    }

    [Test]
    public async Task AQuoteIsReadInEnglishToo()
    {
        var path = await CallAsync("13900000102", "2", "+1500", "1", "+800", "2", "+800", "000001#", "+20000");

        var lookups = AfterLookups(path);
        Assert.That(path, Does.Contain("95500.en"));
        Assert.That(lookups.Single()[..6], Is.EqualTo(new[]
        {
            "95500.quoteCodeSay", "95500.quoteName", "95500.quoteLast", "95500.quoteTrend", "95500.quoteUp", "95500.notices",
        }), string.Join(" ", path) + "\n" + _platform.Output);
    }
}
