using CallCenter.ResourceControl.Clients;
using CallCenter.TestSupport;

namespace CallCenter.ResourceControl.Tests.Clients;

public sealed class TierReviewCommandTests
{
    private static readonly DateOnly _today = new(2026, 8, 14);

    private static (TierReviewArguments? Parsed, string? Error) Parse(params string[] args)
    {
        var parsed = TierReviewArguments.Parse(args, _today, out var error);
        return (parsed, error);
    }

    [Test]
    public void TheDefaultQuarterIsTheLastCompletedOne()
    {
        var (parsed, _) = Parse();

        Assert.That(parsed!.Quarter, Is.EqualTo(new Quarter(2026, 2)));
        Assert.That(parsed.DryRun, Is.False);
    }

    [Test]
    public void QuarterAndDryRunAreTakenOutOfTheConfigurationArguments()
    {
        var (spaced, _) = Parse("--quarter", "2025Q4", "--dry-run", "--Database:Provider=postgres", "--Sip:Port", "5070");
        var (inline, _) = Parse("--quarter=2026q1");

        Assert.That((spaced!.Quarter, spaced.DryRun), Is.EqualTo((new Quarter(2025, 4), true)));
        Assert.That(spaced.ConfigurationArgs, Is.EqualTo(new[] { "--Database:Provider=postgres", "--Sip:Port", "5070" }));
        Assert.That(inline!.Quarter, Is.EqualTo(new Quarter(2026, 1)));
    }

    [TestCase(new[] { "--quarter", "2026Q5" }, "\"2026Q5\"")]
    [TestCase(new[] { "--quarter" }, "needs a value")]
    [TestCase(new[] { "--quarter", "2026Q1", "--quarter", "2026Q2" }, "twice")]
    [TestCase(new[] { "--quarter", "2026Q4", "--dry-run" }, "2026Q4 has not begun")]
    [TestCase(new[] { "--quarter", "2026Q3" }, "2026Q3 has not ended")]
    public void BadArgumentsAreNamed(string[] args, string expected)
    {
        var (parsed, error) = Parse(args);

        Assert.That(parsed, Is.Null);
        Assert.That(error, Does.Contain(expected));
    }

    [Test]
    public void TheRunningQuarterMayBePreviewedWithDryRun()
    {
        Assert.That(Parse("--quarter", "2026Q3", "--dry-run").Parsed!.Quarter, Is.EqualTo(new Quarter(2026, 3)));
    }

    [Test]
    public async Task BadArgumentsExitWithTwoAndUsage()
    {
        var (code, _, error) = await RunAsync("--quarter", "2026Q9");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("\"2026Q9\"").And.Contain("usage: tier-review"));
    }

    [Test]
    public async Task AnUnknownConfigurationKeyExitsWithTwoNamingIt()
    {
        var (code, _, error) = await RunAsync("--dry-run", "--Tiers:ReviewJobs=false");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("\"Tiers:ReviewJobs\""));
    }

    [Test]
    public async Task TheCommandAppliesAQuarterOncePrintingEachChangeAndASummary()
    {
        await using var db = await TierDatabase.CreateAsync();
        await db.SeedQuarterLiftingClient5Async(new Quarter(2026, 2));
        string[] args = ["--quarter", "2026Q2", "--Database:ConnectionString=Data Source=" + db.File, "--Demo:Seed=false"];

        var dry = await RunAsync([.. args, "--dry-run"]);
        var applied = await RunAsync(args);
        var again = await RunAsync(args);

        Assert.That(dry.Code, Is.EqualTo(0));
        Assert.That(dry.Output, Does.Contain("13800000005 刘洋: Effective -> Quality (Quality: average monthly equity 800,000.00"));
        Assert.That(dry.Output, Does.Contain("1 would change, 5 kept. Nothing written."));
        Assert.That(applied.Code, Is.EqualTo(0));
        Assert.That(applied.Output, Does.Contain("13800000005 刘洋: Effective -> Quality").And.Contain("Tier review 2026Q2 applied: 6 clients graded, 1 changed, 5 kept; 1 client notices queued (SMS)."));
        Assert.That(again.Code, Is.EqualTo(0));
        Assert.That(again.Output, Does.Contain("already applied").And.Contain("by the command"));
        Assert.That(await db.Changes.ListAsync("13800000005", 10), Has.Count.EqualTo(1));
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await TierReviewCommand.RunAsync(args, output, error, new ManualTimeProvider(new DateTimeOffset(_today, new TimeOnly(10, 0), TimeSpan.Zero)));
        return (code, output.ToString(), error.ToString());
    }
}
