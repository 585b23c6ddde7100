using System.Net;
using CallCenter.Integration.Tests;
using Microsoft.Playwright;

namespace CallCenter.EndToEnd.Tests;

/// <summary>
/// A supervisor in Chromium gives a waiting caller to an agent from the wallboard: 13800000003 (Gold) waits, held for
/// their account manager 1004, who is on a break; the supervisor picks the free agent 1001 beside the caller, 1001's
/// sipp phone rings and answers, and the wallboard's answered count moves while the call is on.
/// </summary>
[NonParallelizable]
public sealed class WallboardPickTests
{
    [Test]
    public async Task ASupervisorGivesAWaitingCallerToAnAgentFromTheWallboard()
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        var shots = new Screenshots();
        await using var platform = await PlatformProcess.StartAsync("--Routing:RelationshipOfferSeconds=600", "--Agents:WrapUpSeconds=5");
        await using var chromium = await Chromium.LaunchAsync();
        await using var manager = await AgentPhone.StartAsync(platform, "1004");
        var onBreak = await platform.PostApiAsync("api/agents/1004/state", "{\"state\": \"break\", \"reason\": \"meeting\"}");
        Assert.That(onBreak.Status, Is.EqualTo(HttpStatusCode.OK), onBreak.Body);
        await using var agent = await AgentPhone.StartAsync(platform, "1001", expectPai: "13800000003");
        await using var context = await chromium.NewContextAsync(platform.BaseAddress);
        var wallboard = await DeskSession.SignInAsync(context, "super", "demo-super", DeskPages.Wallboard);

        await using var caller = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("caller-until-bye.xml", new() { ["{CALLER}"] = "13800000003" }),
            "-s", "95501", "-m", "1", "-timeout", "120s", "-timeout_error"]);
        var row = wallboard.TestId("waiting-callers").Locator("tbody tr");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync("138****0003");
        await Assertions.Expect(row.Locator(".tier")).ToHaveCSSAsync("background-color", "rgb(201, 154, 6)"); // the scheme's Gold, #c99a06
        await Assertions.Expect(wallboard.TestId("queue-vip-offered")).ToHaveTextAsync("1");
        var select = row.Locator("select");
        await Assertions.Expect(select.Locator("option[value='1001']")).ToBeAttachedAsync();
        await Assertions.Expect(select.Locator("option[value='1004']")).Not.ToBeAttachedAsync(); // on a break: not offered
        await shots.TakeAsync(wallboard, "pick-waiting");

        await select.SelectOptionAsync("1001");
        await row.Locator("button").ClickAsync();
        await Assertions.Expect(wallboard.TestId("wallboard-notice")).ToContainTextAsync("1001");
        await Assertions.Expect(wallboard.TestId("waiting-callers-none")).ToBeVisibleAsync();
        await Assertions.Expect(wallboard.TestId("agent-1001-state")).ToHaveTextAsync("onCall");
        await Assertions.Expect(wallboard.TestId("queue-vip-answered")).ToHaveTextAsync("1");
        await shots.TakeAsync(wallboard, "pick-answered");

        var calls = await platform.GetApiAsync("api/agents");
        var callId = calls.Body.EnumerateArray().Single(a => a.GetProperty("id").GetString() == "1001").GetProperty("callId").GetString();
        var hangUp = await platform.PostApiAsync($"api/calls/{callId}/hangup", "{}");
        Assert.That(hangUp.Status, Is.EqualTo(HttpStatusCode.OK), hangUp.Body);
        Assert.That((await caller.WaitAsync(TimeSpan.FromSeconds(30))).SuccessfulCalls, Is.EqualTo(1));
        Assert.That((await agent.WaitAsync(TimeSpan.FromSeconds(30))).SuccessfulCalls, Is.EqualTo(1), "1001's phone rang and answered\n" + platform.Output);
    }
}
