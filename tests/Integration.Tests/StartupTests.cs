namespace CallCenter.Integration.Tests;

/// <summary>Start-up as an operator meets it: a wrong key stops the platform with a message naming it.</summary>
public sealed class StartupTests
{
    [TestCase("--Sip:Prot=5070", "Sip:Prot")]
    [TestCase("--Sip:DigestAlgorithms:0=SHA-1", "Sip:DigestAlgorithms")]
    [TestCase("--Database:Provider=oracle", "Database:Provider")]
    public async Task WrongConfigurationStopsStartUpNamingTheKey(string argument, string key)
    {
        await using var platform = PlatformProcess.Start(argument);

        var exitCode = await platform.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.That(exitCode, Is.EqualTo(2), platform.Output);
        Assert.That(platform.Output, Does.Contain("configuration error").And.Contain(key));
    }

    [Test]
    public async Task HealthReportsReadyWithTheSipListeners()
    {
        await using var platform = await PlatformProcess.StartAsync();

        var health = await platform.GetStringAsync("health");

        Assert.That(health, Does.Contain("\"status\":\"ready\"").And.Contain($"127.0.0.1:{platform.SipPort}"));
    }
}
