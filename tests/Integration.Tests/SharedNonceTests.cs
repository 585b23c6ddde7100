using System.Globalization;

namespace CallCenter.Integration.Tests;

/// <summary>
/// Two platform nodes behind one proxy (issue 19): a REGISTER challenged by one node and answered at
/// the other succeeds when they share <c>Sip:NonceSecret</c>, fails when they do not, and a nonce past
/// its lifetime gets <c>stale=true</c>. The phone is a real sipp that changes its destination between
/// the challenge and the answer, as a proxy dispatching each request anew would.
/// </summary>
[NonParallelizable]
public sealed class SharedNonceTests
{
    private const string Secret = "a-cluster-nonce-secret-of-enough-length";

    private static string[] Node(string secret, params string[] more) =>
        ["--Sip:DigestAlgorithms:0=MD5", "--Sip:NonceSecret=" + secret, .. more];

    private static async Task<Sipp.Result> RegisterAcrossAsync(PlatformProcess first, PlatformProcess second, string finalRecv, int pauseMilliseconds = 0)
    {
        var scenario = AgentPhone.Template("register-two-nodes.xml", new()
        {
            ["{NODE2_PORT}"] = second.SipPort.ToString(CultureInfo.InvariantCulture),
            ["{PAUSE_MS}"] = pauseMilliseconds.ToString(CultureInfo.InvariantCulture),
            ["{FINAL_RECV}"] = finalRecv,
        });
        try
        {
            return await Sipp.RunAsync($"127.0.0.1:{first.SipPort}", TimeSpan.FromSeconds(40), "-sf", scenario, "-s", "1001", "-au", "1001", "-ap", "demo-1001", "-m", "1", "-timeout", "30s", "-timeout_error");
        }
        finally
        {
            File.Delete(scenario);
        }
    }

    [Test]
    public async Task AChallengeFromOneNodeAnsweredAtAnotherSucceedsOnlyWithTheSameSecret()
    {
        await using var first = await PlatformProcess.StartAsync(Node(Secret));
        await using var same = await PlatformProcess.StartAsync(Node(Secret));
        await using var other = await PlatformProcess.StartAsync(Node("another-secret-of-sufficient-length"));

        var shared = await RegisterAcrossAsync(first, same, "<recv response=\"200\" />");
        var notShared = await RegisterAcrossAsync(first, other, "<recv response=\"401\" />");
        var (_, agents) = await same.GetApiAsync("api/agents");

        Assert.That(shared.SuccessfulCalls, Is.EqualTo(1), "node 2 must accept node 1's nonce\n" + shared.Output + same.Output);
        Assert.That(notShared.SuccessfulCalls, Is.EqualTo(1), "a node with another secret must refuse it\n" + notShared.Output + other.Output);
        Assert.That(agents.EnumerateArray().Single(a => a.GetProperty("id").GetString() == "1001").GetProperty("registered").GetBoolean(), Is.True, "node 2 holds the binding");
    }

    [Test]
    public async Task ANonceOlderThanItsLifetimeIsAnsweredWithStaleTrueByTheOtherNode()
    {
        await using var first = await PlatformProcess.StartAsync(Node(Secret, "--Sip:NonceLifetimeSeconds=10"));
        await using var second = await PlatformProcess.StartAsync(Node(Secret, "--Sip:NonceLifetimeSeconds=10"));

        var stale = await RegisterAcrossAsync(
            first,
            second,
            """
            <recv response="401">
                <action>
                  <ereg regexp="stale=true" search_in="hdr" header="WWW-Authenticate:" check_it="true" assign_to="stale" />
                </action>
              </recv>
              <Reference variables="stale" />
            """,
            pauseMilliseconds: 11_000);

        Assert.That(stale.SuccessfulCalls, Is.EqualTo(1), "a correct answer with an expired nonce gets 401 with stale=true\n" + stale.Output + second.Output);
    }

    [Test]
    public async Task ATooShortNonceSecretStopsTheStartWithAMessageThatNamesTheKeyButNotTheValue()
    {
        await using var platform = PlatformProcess.Start(Node("short-secret"));
        var exit = await platform.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.That(exit, Is.Not.Zero);
        Assert.That(platform.Output, Does.Contain("Sip:NonceSecret"));
        Assert.That(platform.Output, Does.Not.Contain("short-secret"), "the secret is never printed");
    }
}
