namespace CallCenter.Integration.Tests;

/// <summary>Agent phones (real sipp) registering with digest authentication.</summary>
[NonParallelizable]
public sealed class RegistrarTests
{
    // sipp 3.6 answers only the first challenge and only MD5 (design.md section 4).
    private static readonly string[] _md5First = ["--Sip:DigestAlgorithms:0=MD5", "--Sip:DigestAlgorithms:1=SHA-256"];

    private static string Scenario(string name) => Path.Combine(AppContext.BaseDirectory, "Scenarios", name);

    private static Task<Sipp.Result> RunAsync(PlatformProcess platform, string scenario, string extension, string password, params string[] more) =>
        Sipp.RunAsync(
            $"127.0.0.1:{platform.SipPort}",
            TimeSpan.FromSeconds(30),
            ["-sf", Scenario(scenario), "-s", extension, "-au", extension, "-ap", password, "-m", "1", "-timeout", "20s", "-timeout_error", .. more]);

    [Test]
    public async Task SippPhoneRegistersWithMd5DigestAndAWrongPasswordIsRefused()
    {
        await using var platform = await PlatformProcess.StartAsync(_md5First);

        var good = await RunAsync(platform, "register.xml", "1001", "demo-1001");
        var wrongPassword = await RunAsync(platform, "register-refused.xml", "1002", "not-the-password");
        var unknownExtension = await RunAsync(platform, "register-refused.xml", "4711", "demo-4711");

        Assert.That(good.ExitCode, Is.Zero, good.Output + platform.Output);
        Assert.That(good.SuccessfulCalls, Is.EqualTo(1));
        Assert.That(wrongPassword.SuccessfulCalls, Is.EqualTo(1), "a wrong password must get 401 again\n" + wrongPassword.Output);
        Assert.That(unknownExtension.SuccessfulCalls, Is.EqualTo(1), "an unknown extension must get the same 401\n" + unknownExtension.Output);
    }

    [Test]
    public async Task AnAgentBecomesAvailableOnlyOnceTheirPhoneIsRegistered()
    {
        await using var platform = await PlatformProcess.StartAsync(_md5First);
        string? StateOf(System.Text.Json.JsonElement agents, string id) =>
            agents.EnumerateArray().Single(a => a.GetProperty("id").GetString() == id).GetProperty("state").GetString();

        var (_, before) = await platform.GetApiAsync("api/agents");
        var refused = await platform.PostApiAsync("api/agents/1001/state", "{\"state\": \"available\"}");
        var registered = await RunAsync(platform, "register.xml", "1001", "demo-1001");
        var (_, after) = await platform.GetApiAsync("api/agents");
        var available = await platform.PostApiAsync("api/agents/1001/state", "{\"state\": \"available\"}");
        var onBreak = await platform.PostApiAsync("api/agents/1001/state", "{\"state\": \"break\", \"reason\": \"lunch\"}");
        var unknownState = await platform.PostApiAsync("api/agents/1001/state", "{\"state\": \"dancing\"}");
        var unknownAgent = await platform.PostApiAsync("api/agents/9999/state", "{\"state\": \"offline\"}");

        Assert.That(before.EnumerateArray().Select(a => a.GetProperty("id").GetString()), Is.EqualTo(new[] { "1001", "1002", "1003", "1004" }));
        Assert.That(before.EnumerateArray().Select(a => a.GetProperty("registered").GetBoolean()), Has.All.False);
        Assert.That(refused.Status, Is.EqualTo(System.Net.HttpStatusCode.Conflict));
        Assert.That(refused.Body, Does.Contain("regist"));
        Assert.That(registered.SuccessfulCalls, Is.EqualTo(1), registered.Output);
        Assert.That(after.EnumerateArray().Single(a => a.GetProperty("id").GetString() == "1001").GetProperty("registered").GetBoolean(), Is.True);
        Assert.That(StateOf(after, "1001"), Is.EqualTo("offline"));
        Assert.That(available.Status, Is.EqualTo(System.Net.HttpStatusCode.OK), available.Body);
        Assert.That(available.Body, Does.Contain("\"state\":\"available\""));
        Assert.That(onBreak.Body, Does.Contain("\"state\":\"break\"").And.Contain("lunch"));
        Assert.That(unknownState.Status, Is.EqualTo(System.Net.HttpStatusCode.BadRequest));
        Assert.That(unknownAgent.Status, Is.EqualTo(System.Net.HttpStatusCode.NotFound));
    }

    [Test]
    public async Task BindingsSurviveARestartOfThePlatform()
    {
        var database = Path.Combine(Path.GetTempPath(), $"callcenter-restart-{Guid.NewGuid():N}.db");
        var databaseArgument = "--Database:ConnectionString=Data Source=" + database;
        try
        {
            await using (var first = await PlatformProcess.StartAsync([.. _md5First, databaseArgument]))
            {
                var registered = await RunAsync(first, "register.xml", "1003", "demo-1003");
                Assert.That(registered.SuccessfulCalls, Is.EqualTo(1), registered.Output + first.Output);
            }

            await using var second = await PlatformProcess.StartAsync([.. _md5First, databaseArgument]);
            var query = await RunAsync(second, "register-query.xml", "1003", "demo-1003");

            Assert.That(query.ExitCode, Is.Zero, query.Output + second.Output);
            Assert.That(query.SuccessfulCalls, Is.EqualTo(1), "the 200 after the restart must still list 1003's phone\n" + query.Output);
        }
        finally
        {
            CallCenter.TestSupport.TestDatabases.DeleteSqliteFile(database);
        }
    }
}
