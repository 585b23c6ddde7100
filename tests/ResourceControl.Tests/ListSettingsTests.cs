using CallCenter.AgentDesk;
using CallCenter.ResourceControl.Hosting;
using CallCenter.ResourceControl.Routing;
using CallCenter.Telephony;
using Microsoft.Extensions.Configuration;

namespace CallCenter.ResourceControl.Tests;

public sealed class ListSettingsTests
{
    // As the platform layers its sources: the file, then the environment, then the command line.
    private static IConfigurationRoot Layered(Dictionary<string, string?> file, Dictionary<string, string?>? environment = null, params string[] commandLine) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(file)
            .AddInMemoryCollection(environment ?? [])
            .AddCommandLine(commandLine)
            .Build();

    private static readonly Dictionary<string, string?> _file = new()
    {
        ["Sip:DigestAlgorithms:0"] = "SHA-256",
        ["Sip:DigestAlgorithms:1"] = "MD5",
        ["Api:Keys:0"] = "demo-api-key",
    };

    private static T Bind<T>(IConfigurationRoot configuration, string section, out List<string> errors)
        where T : new()
    {
        errors = [];
        return ConfigurationChecker.Bind<T>(configuration, section, errors);
    }

    [Test]
    public void ACommaSeparatedValueOnTheCommandLineReplacesTheFilesListWhole()
    {
        var sip = Bind<SipOptions>(Layered(_file, null, "--Sip:DigestAlgorithms=MD5"), "Sip", out var errors);

        Assert.That(errors, Is.Empty);
        Assert.That(sip.DigestAlgorithms, Is.EqualTo(new[] { "MD5" }));
    }

    [Test]
    public void SeveralCommaSeparatedItemsKeepTheirOrderAndLoseTheirSpaces()
    {
        var sip = Bind<SipOptions>(Layered(_file, null, "--Sip:DigestAlgorithms=MD5, SHA-256"), "Sip", out _);

        Assert.That(sip.DigestAlgorithms, Is.EqualTo(new[] { "MD5", "SHA-256" }));
    }

    [Test]
    public void AnEnvironmentValueReplacesTheFileAndTheCommandLineStillWins()
    {
        var environment = new Dictionary<string, string?> { ["Api:Keys"] = "key-from-env-1,key-from-env-2" };

        var fromEnvironment = Bind<ApiOptions>(Layered(_file, environment), "Api", out _);
        var fromCommandLine = Bind<ApiOptions>(Layered(_file, environment, "--Api:Keys=key-from-args"), "Api", out _);

        Assert.That(fromEnvironment.Keys, Is.EqualTo(new[] { "key-from-env-1", "key-from-env-2" }));
        Assert.That(fromCommandLine.Keys, Is.EqualTo(new[] { "key-from-args" }));
    }

    [Test]
    public void ARealEnvironmentVariableWithDoubleUnderscoresReplacesTheList()
    {
        // The environment provider as the platform adds it, behind a prefix of this test's own.
        var name = "CALLCENTER_LISTSETTINGS_TEST_Sip__DigestAlgorithms";
        Environment.SetEnvironmentVariable(name, "MD5");
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(_file)
                .AddEnvironmentVariables("CALLCENTER_LISTSETTINGS_TEST_")
                .Build();

            var sip = Bind<SipOptions>(configuration, "Sip", out var errors);

            Assert.That(errors, Is.Empty);
            Assert.That(sip.DigestAlgorithms, Is.EqualTo(new[] { "MD5" }));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Test]
    public void IndexedItemsOnTheCommandLineAlsoReplaceTheListRatherThanMergeByIndex()
    {
        var sip = Bind<SipOptions>(Layered(_file, null, "--Sip:DigestAlgorithms:0=MD5"), "Sip", out _);

        Assert.That(sip.DigestAlgorithms, Is.EqualTo(new[] { "MD5" }));
    }

    [Test]
    public void AnEmptyValueEmptiesTheList()
    {
        var desk = Bind<DeskOptions>(Layered(new() { ["Desk:TrustedProxies:0"] = "10.0.0.5" }, null, "--Desk:TrustedProxies="), "Desk", out _);

        Assert.That(desk.TrustedProxies, Is.Empty);
    }

    [Test]
    public void AListInsideAMapOfQueuesIsReplacedToo()
    {
        var file = new Dictionary<string, string?> { ["Routing:Queues:vip:Skills:0"] = "stocks", ["Routing:Queues:vip:MaxLength"] = "5" };

        var routing = Bind<RoutingOptions>(Layered(file, null, "--Routing:Queues:vip:Skills=zh,futures"), "Routing", out _);

        Assert.That(routing.Queues["vip"].Skills, Is.EqualTo(new[] { "zh", "futures" }));
        Assert.That(routing.Queues["vip"].MaxLength, Is.EqualTo(5));
    }

    [Test]
    public void AnEmptyItemIsRefusedNamingTheKey()
    {
        Bind<SipOptions>(Layered(_file, null, "--Sip:DigestAlgorithms=MD5,,SHA-256"), "Sip", out var errors);

        Assert.That(errors, Has.One.Contains("Sip:DigestAlgorithms").And.Contains("empty item"));
    }

    [Test]
    public void AnUnknownAlgorithmGivenWholeIsRefusedNamingTheKeyAndTheValue()
    {
        var sip = Bind<SipOptions>(Layered(_file, null, "--Sip:DigestAlgorithms=MD5,SHA-512"), "Sip", out _);

        Assert.That(sip.Validate(), Has.Some.Contains("Sip:DigestAlgorithms").And.Contains("\"SHA-512\""));
    }

    [Test]
    public void AListNoSourceMentionsKeepsItsDefault()
    {
        var desk = Bind<DeskOptions>(Layered(_file), "Desk", out _);

        Assert.That(desk.TrustedProxies, Is.Empty);
    }
}
