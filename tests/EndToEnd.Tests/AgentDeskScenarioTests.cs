using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CallCenter.Integration.Tests;
using Microsoft.Playwright;

namespace CallCenter.EndToEnd.Tests;

/// <summary>
/// Issue 5's browser scenario, everything real: agent 1001 works the desk in Chromium with a sipp
/// phone registered as its extension, a supervisor watches the wallboard in a second browser
/// profile, and a sipp caller rings the VIP line. The call is held, resumed, hung up and wrapped up
/// from the desk, and the call record shows it.
/// </summary>
[NonParallelizable]
public sealed partial class AgentDeskScenarioTests
{
    // sipp answers only an MD5 challenge first (design.md section 4). The wrap-up lasts long enough
    // for a slow machine to pick the code before the platform ends it by itself.
    private static readonly string[] _platform = ["--Sip:DigestAlgorithms:0=MD5", "--Sip:DigestAlgorithms:1=SHA-256", "--Agents:WrapUpSeconds=120"];

    private const string Caller = "13800000001";
    private const string Queue = "vip";

    [Test]
    public async Task AnAgentTakesAVipCallFromThePopHoldsResumesHangsUpAndWrapsUpWhileTheSupervisorWatchesTheQueue()
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        var shots = new Screenshots();
        await using var platform = await PlatformProcess.StartAsync(_platform);
        await using var chromium = await Chromium.LaunchAsync();

        // The agent's phone: registered as 1001 with MD5 digest, answers what it is offered (tier in
        // From's display name, the caller in P-Asserted-Identity) and waits for the BYE. The agent
        // makes themself available from the desk, not through the API.
        // It rings for 4 s before it answers, long enough to see (and photograph) the desk ringing.
        await using var phone = await AgentPhone.StartAsync(platform, "1001", makeAvailable: false, expectPai: Caller, expectDisplay: "Diamond", ringMilliseconds: 4000);

        await using var agentContext = await chromium.NewContextAsync(platform.BaseAddress);
        await using var supervisorContext = await chromium.NewContextAsync(platform.BaseAddress);
        var desk = await DeskSession.SignInAsync(agentContext, "1001", "demo-1001", "/desk/");
        var wallboard = await DeskSession.SignInAsync(supervisorContext, "super", "demo-super", DeskPages.Wallboard);
        // Each step in both languages (the toggle on each page), then back to Mandarin.
        async Task ShootAsync(string step)
        {
            await shots.TakeAsync(desk, step + "-desk-zh");
            await shots.TakeAsync(wallboard, step + "-wallboard-zh");
            await desk.TestId("lang-toggle").ClickAsync();
            await wallboard.TestId("lang-toggle").ClickAsync();
            await Assertions.Expect(desk.Locator("html")).ToHaveAttributeAsync("lang", "en");
            await shots.TakeAsync(desk, step + "-desk-en");
            await shots.TakeAsync(wallboard, step + "-wallboard-en");
            await desk.TestId("lang-toggle").ClickAsync();
            await wallboard.TestId("lang-toggle").ClickAsync();
            await Assertions.Expect(desk.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        }

        await Assertions.Expect(desk.TestId("agent-state")).Not.ToHaveTextAsync("available");
        await Assertions.Expect(wallboard.TestId($"queue-{Queue}-waiting")).ToHaveTextAsync("0");
        await Assertions.Expect(wallboard.TestId("agent-1001-state")).Not.ToHaveTextAsync("available");
        await ShootAsync("signed-in");

        // No agent is available yet: the caller waits in the VIP queue and the wallboard counts them, as Diamond.
        await using var caller = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("caller-until-bye.xml", new() { ["{CALLER}"] = Caller }),
            "-s", "95501", "-m", "1", "-timeout", "120s", "-timeout_error"]);
        await Assertions.Expect(wallboard.TestId($"queue-{Queue}-waiting")).ToHaveTextAsync("1");
        await Assertions.Expect(wallboard.TestId($"queue-{Queue}-tier-Diamond")).ToHaveTextAsync("1");
        var waiting = wallboard.TestId("waiting-callers").Locator("tbody tr");
        await Assertions.Expect(waiting).ToHaveCountAsync(1);
        await Assertions.Expect(waiting).ToContainTextAsync("138****0001");
        await Assertions.Expect(waiting).ToContainTextAsync(DiamondTier());
        await Assertions.Expect(wallboard.TestId("waiting-callers")).Not.ToContainTextAsync(Caller);
        await Assertions.Expect(waiting.Locator(".tier")).ToHaveCSSAsync("background-color", "rgb(111, 66, 193)"); // the scheme's Diamond colour
        // Offered is live: the waiting caller counts before any record is written.
        await Assertions.Expect(wallboard.TestId($"queue-{Queue}-offered")).ToHaveTextAsync("1");
        await Assertions.Expect(wallboard.TestId($"queue-{Queue}-answered")).ToHaveTextAsync("0");
        await Assertions.Expect(wallboard.TestId("chart-window")).ToHaveValueAsync("4");
        await ShootAsync("caller-waiting");

        // The agent presses available: the queued call is offered to their phone and popped on the desk.
        await desk.TestId("btn-available").ClickAsync();
        await Assertions.Expect(desk.TestId("pop")).ToBeVisibleAsync();
        await Assertions.Expect(desk.TestId("pop-name")).ToHaveTextAsync("王建国");
        await Assertions.Expect(desk.TestId("pop-tier")).ToHaveTextAsync(DiamondTier());
        await Assertions.Expect(desk.TestId("pop-tier")).ToHaveCSSAsync("background-color", "rgb(111, 66, 193)"); // the scheme's Diamond colour, #6f42c1
        await Assertions.Expect(desk.TestId("call-state")).ToHaveTextAsync("ringing");
        await Assertions.Expect(desk.TestId("pop-ivr")).Not.ToContainTextAsync("95501.");
        await ShootAsync("ringing");

        // The phone answers: the call is up, and the caller no longer waits.
        await Assertions.Expect(desk.TestId("call-state")).ToHaveTextAsync("talking");
        await Assertions.Expect(wallboard.TestId($"queue-{Queue}-waiting")).ToHaveTextAsync("0");
        await Assertions.Expect(wallboard.TestId("agent-1001-state")).ToHaveTextAsync("onCall");
        await Assertions.Expect(wallboard.TestId($"queue-{Queue}-answered")).ToHaveTextAsync("1"); // live, long before the wrap-up
        await ShootAsync("talking");

        await desk.TestId("btn-hold").ClickAsync();
        await Assertions.Expect(desk.TestId("call-state")).ToHaveTextAsync("held");
        await ShootAsync("held");
        // Held long enough for the record's hold time to be told apart from nothing.
        await Task.Delay(1500);
        await desk.TestId("btn-resume").ClickAsync();
        await Assertions.Expect(desk.TestId("call-state")).ToHaveTextAsync("talking");
        await ShootAsync("resumed");

        await desk.TestId("btn-hangup").ClickAsync();
        await Assertions.Expect(desk.TestId("wrapup")).ToBeVisibleAsync();
        await Assertions.Expect(desk.TestId("wrapup-timer")).ToHaveTextAsync(Digits());
        await ShootAsync("wrap-up");
        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(30));
        var phoneResult = await phone.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), "the caller gets the platform's BYE when the agent hangs up\n" + callerResult.Output);
        Assert.That(phoneResult.SuccessfulCalls, Is.EqualTo(1), "the agent's phone sees PAI, tier and the BYE\n" + phoneResult.Output + platform.Output);

        await desk.TestId("wrapup-code").SelectOptionAsync("resolved");
        await desk.TestId("wrapup-notes").FillAsync("查询账户余额 · balance enquiry");
        await desk.TestId("btn-wrapup").ClickAsync();
        await Assertions.Expect(desk.TestId("wrapup")).Not.ToBeVisibleAsync();
        await Assertions.Expect(desk.TestId("agent-state")).ToHaveTextAsync("available");
        // The wrap-up over, the last caller's pop and the ended call leave the desk.
        await Assertions.Expect(desk.TestId("pop")).Not.ToBeVisibleAsync();
        await Assertions.Expect(desk.TestId("call-state")).Not.ToBeAttachedAsync();
        await ShootAsync("wrapped-up");

        var record = await NewestRecordAsync(platform, r => r.TryGetProperty("wrapUpCode", out var code) && code.ValueKind == JsonValueKind.String);
        Assert.That(record.GetProperty("caller").GetString(), Is.EqualTo(Caller), record.ToString());
        Assert.That(record.GetProperty("agent").GetString(), Is.EqualTo("1001"));
        Assert.That(record.GetProperty("queue").GetString(), Is.EqualTo(Queue));
        Assert.That(record.GetProperty("tier").GetString(), Is.EqualTo("Diamond"));
        Assert.That(record.GetProperty("disposition").GetString(), Is.EqualTo("agent-hung-up"));
        Assert.That(record.GetProperty("holdSeconds").GetDouble(), Is.InRange(1.4, 30), "the hold from the desk is counted");
        Assert.That(record.GetProperty("wrapUpCode").GetString(), Is.EqualTo("resolved"));
        Assert.That(record.GetProperty("wrapUpNotes").GetString(), Is.EqualTo("查询账户余额 · balance enquiry"));

        // Without a reload the desk's history has read the record again once the wrap-up ended, and
        // shows the call with its code; the wallboard counts the agent as available.
        var row = desk.TestId("history").Locator("tr").Filter(new() { HasText = Caller });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync("resolved");

        // The desk opened afresh: the agent is still available and the history still has the call.
        await desk.ReloadAsync();
        await Assertions.Expect(desk.TestId("agent-state")).ToHaveTextAsync("available");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(wallboard.TestId("agents-available")).ToHaveTextAsync("1");
        await Assertions.Expect(wallboard.TestId("agent-1001-state")).ToHaveTextAsync("available");
        await ShootAsync("history");
    }

    /// <summary>Polls GET /api/calls?limit=1 until the newest record satisfies <paramref name="ready"/> (the wrap-up is written after the call's record).</summary>
    private static async Task<JsonElement> NewestRecordAsync(PlatformProcess platform, Func<JsonElement, bool> ready)
    {
        JsonElement? last = null;
        for (var attempt = 0; attempt < 150; attempt++)
        {
            var (status, body) = await platform.GetApiAsync("api/calls?limit=1");
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            if (body.GetArrayLength() == 1)
            {
                last = body[0];
                if (ready(body[0]))
                {
                    return body[0];
                }
            }

            await Task.Delay(100);
        }

        throw new AssertionException($"GET /api/calls?limit=1 never showed the wrap-up: {last}\n{platform.Output}");
    }

    // The badge may carry the tier's Mandarin name as well as the API's.
    [GeneratedRegex("Diamond|钻石")]
    private static partial Regex DiamondTier();

    [GeneratedRegex(@"\d")]
    private static partial Regex Digits();
}
