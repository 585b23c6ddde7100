using CallCenter.ResourceControl.Hosting;
using Microsoft.Extensions.Configuration;

namespace CallCenter.ResourceControl.Tests;

public sealed class ConfigurationCheckerTests
{
    private static List<string> Check(Dictionary<string, string?> file, params string[] commandLine)
    {
        var fileConfig = new ConfigurationBuilder().AddInMemoryCollection(file).Build();
        var commandLineConfig = new ConfigurationBuilder().AddCommandLine(commandLine).Build();
        var merged = new ConfigurationBuilder().AddInMemoryCollection(file).AddCommandLine(commandLine).Build();
        return [.. ConfigurationChecker.UnknownKeys(fileConfig, commandLineConfig, merged)];
    }

    [Test]
    public void KnownKeysPass()
    {
        var errors = Check(
            new() { ["Sip:Port"] = "5060", ["Sip:DigestAlgorithms:0"] = "MD5", ["Urls"] = "http://localhost:8080", ["Logging:LogLevel:Default"] = "Warning" },
            "--Rtp:PortMin=30000",
            "--Demo:Seed=false");

        Assert.That(errors, Is.Empty);
    }

    [Test]
    public void DeskKeysAreKnownAndAMisspelledOneIsNamed()
    {
        var known = Check(new() { ["Desk:SessionMinutes"] = "60", ["Desk:MaxFailedSignIns"] = "3" }, "--Desk:LockoutMinutes=5");
        var misspelled = Check(new() { ["Desk:SessionMinute"] = "60" });

        Assert.That(known, Is.Empty);
        Assert.That(misspelled, Has.One.Contains("\"Desk:SessionMinute\""));
    }

    [Test]
    public void RetentionKeysAreKnownWithTheOperatorsTierAndQueueNames()
    {
        var known = Check(new() { ["Recording:Retention:Days"] = "1826", ["Recording:Retention:Tiers:Diamond"] = "3653" }, "--Recording:Retention:Queues:general=730");
        var misspelled = Check(new() { ["Recording:Retention:Dayz"] = "1826" });

        Assert.That(known, Is.Empty);
        Assert.That(misspelled, Has.One.Contains("\"Recording:Retention:Dayz\""));
    }

    [Test]
    public void MisspelledKeyInASectionIsNamed()
    {
        var errors = Check(new() { ["Sip:Prot"] = "5070" });

        Assert.That(errors, Has.One.Contains("\"Sip:Prot\""));
    }

    [Test]
    public void UnknownTopLevelKeyOnTheCommandLineIsNamed()
    {
        var errors = Check([], "--Sipp:Port=5070");

        Assert.That(errors, Has.One.Contains("\"Sipp\""));
    }

    [Test]
    public void MapKeysAreTheOperatorsOwnNames()
    {
        var errors = Check(new() { ["Routing:Queues:complaints:MaxLength"] = "20", ["Routing:TierBonusSeconds:Silver"] = "120" });

        Assert.That(errors, Is.Empty);
    }

    [Test]
    public void ListKeysTakeOnlyIndexes()
    {
        var errors = Check(new() { ["Api:Keys:first"] = "x" });

        Assert.That(errors, Has.One.Contains("Api:Keys:first"));
    }

    [Test]
    public void ValuesThatDoNotConvertAreReportedBySection()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Sip:Port"] = "abc" }).Build();
        var errors = new List<string>();

        ConfigurationChecker.Bind<CallCenter.Telephony.SipOptions>(configuration, "Sip", errors);

        Assert.That(errors, Has.One.Contains("\"Sip\"").And.Contains("Port"));
    }
}
