namespace CallCenter.Integration.Tests;

/// <summary>Start-up as an operator meets it: a wrong key stops the platform with a message naming it.</summary>
public sealed class StartupTests
{
    [TestCase("--Sip:Prot=5070", "Sip:Prot")]
    [TestCase("--Sip:DigestAlgorithms:0=SHA-1", "Sip:DigestAlgorithms")]
    [TestCase("--Database:Provider=oracle", "Database:Provider")]
    [TestCase("--Sip:DigestAlgorithms=MD5,SHA-512", "Sip:DigestAlgorithms names an unknown algorithm \"SHA-512\"")]
    [TestCase("--Desk:TrustedProxies=10.0.0.5,not-an-address", "Desk:TrustedProxies: \"not-an-address\"")]
    [TestCase("--Api:Keys=demo-api-key,,other-api-key", "Api:Keys")]
    [TestCase("--Documents:Font=/nonexistent/simsun.ttf", "Documents:Font: no file /nonexistent/simsun.ttf")]
    [TestCase("--Documents:Font=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "Documents:Font: /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf cannot draw")]
    public async Task WrongConfigurationStopsStartUpNamingTheKey(string argument, string key)
    {
        await using var platform = PlatformProcess.Start(argument);

        var exitCode = await platform.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.That(exitCode, Is.EqualTo(2), platform.Output);
        Assert.That(platform.Output, Does.Contain("configuration error").And.Contain(key));
    }

    [Test]
    public async Task InvalidFlowStopsStartUpNamingTheFileAndTheNode()
    {
        await using var platform = PlatformProcess.Start(work =>
        {
            // The operator's own config/ folder: the shipped one with a menu key pointing nowhere.
            var source = Path.Combine(CallCenter.TestSupport.Fixtures.RepositoryRoot, "config");
            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(work, "config", Path.GetRelativePath(source, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }

            var flow = Path.Combine(work, "config", "flows", "95500.json");
            File.WriteAllText(flow, File.ReadAllText(flow).Replace("\"0\": \"agent\"", "\"0\": \"no-such-node\"", StringComparison.Ordinal));
        });

        var exitCode = await platform.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.That(exitCode, Is.EqualTo(2), platform.Output);
        Assert.That(platform.Output, Does.Contain("95500.json").And.Contain("menu").And.Contain("no-such-node"));
    }

    [Test]
    public async Task HealthReportsReadyWithTheSipListeners()
    {
        await using var platform = await PlatformProcess.StartAsync();

        var health = await platform.GetStringAsync("health");

        Assert.That(health, Does.Contain("\"status\":\"ready\"").And.Contain($"127.0.0.1:{platform.SipPort}"));
    }

    [Test]
    public async Task AFreshStartOnAnEmptyDatabaseLogsNoWarning()
    {
        // The record writer's heartbeat once wrote before the tables existed and retried with a warning.
        await using var platform = await PlatformProcess.StartAsync();
        await Task.Delay(TimeSpan.FromSeconds(4)); // two heartbeats

        Assert.That(platform.Output, Does.Not.Contain("warn:").And.Not.Contain("fail:"), platform.Output);
    }
}
