using System.Globalization;
using System.Net;
using CallCenter.Integration.Tests;
using CallCenter.TestSupport;
using Microsoft.Playwright;

namespace CallCenter.EndToEnd.Tests;

/// <summary>
/// Click-to-dial from the agent desk in Chromium, everything real: agent 1004 takes a call from their client
/// 13800000003 (sipp caller, sipp phone), then dials the client back from the history row. On a break the
/// platform refuses and the desk says why; available again, the agent's phone rings first, then the client's
/// number through the trunk (sipp as the carrier), and the call is recorded as an outbound click-to-dial.
/// </summary>
[NonParallelizable]
public sealed class ClickToDialTests
{
    private const string Client = "13800000003";

    [Test]
    public async Task AnAgentDialsAClientFromTheHistoryRowAndSeesWhyADialIsRefused()
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        var carrierPort = FreePorts.UdpAndTcp();
        await using var platform = await PlatformProcess.StartAsync(
            "--Agents:WrapUpSeconds=1",
            "--Trunks:0:Name=carrier", $"--Trunks:0:Address=127.0.0.1:{carrierPort.ToString(CultureInfo.InvariantCulture)}", "--Trunks:0:Transport=udp",
            "--Trunks:0:CallerId=95500");
        await using var chromium = await Chromium.LaunchAsync();
        await using var phone = await AgentPhone.StartAsync(platform, "1004", calls: 2, expectPai: Client);
        await using var context = await chromium.NewContextAsync(platform.BaseAddress);
        var desk = await DeskSession.SignInAsync(context, "1004", "demo-1004", DeskPages.AgentLanding);

        // The client calls their account manager's line first: the pop, then a row in the history.
        await using (var caller = AgentPhone.StartCaller(platform, Client, holdMilliseconds: 15_000))
        {
            await Assertions.Expect(desk.TestId("pop")).ToBeVisibleAsync();
            await Assertions.Expect(desk.TestId("btn-pop-dial")).ToBeDisabledAsync(); // the call is live: no dialling the caller on top of it
            var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), callerResult.Output + platform.Output);
        }

        var row = desk.TestId("history").Locator("tr");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync(Client);

        // On a break the platform refuses, and the desk shows the reason.
        var onBreak = await platform.PostApiAsync("api/agents/1004/state", "{\"state\": \"break\", \"reason\": \"meeting\"}");
        Assert.That(onBreak.Status, Is.EqualTo(HttpStatusCode.OK), onBreak.Body);
        await Assertions.Expect(desk.TestId("agent-state")).ToHaveTextAsync("break");
        await row.GetByTestId("history-dial").ClickAsync();
        await Assertions.Expect(desk.TestId("desk-error")).ToContainTextAsync("not available");
        await Assertions.Expect(desk.TestId("dial-notice")).Not.ToBeVisibleAsync();

        // Available again: the agent's phone rings first, then the client through the trunk.
        await using var carrier = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("carrier-answer.xml", new() { ["{NUMBER}"] = Client, ["{CALLER_ID}"] = "95500", ["{TALK_MS}"] = "2000" }),
            "-m", "1", "-timeout", "60s", "-timeout_error"], carrierPort);
        var available = await platform.PostApiAsync("api/agents/1004/state", "{\"state\": \"available\"}");
        Assert.That(available.Status, Is.EqualTo(HttpStatusCode.OK), available.Body);
        await Assertions.Expect(desk.TestId("agent-state")).ToHaveTextAsync("available");
        await row.GetByTestId("history-dial").ClickAsync();
        await Assertions.Expect(desk.TestId("dial-notice")).ToContainTextAsync(Client);
        await Assertions.Expect(desk.TestId("call-state")).ToHaveTextAsync("talking");

        var carrierResult = await carrier.WaitAsync(TimeSpan.FromSeconds(60));
        var phoneResult = await phone.WaitAsync(TimeSpan.FromSeconds(30));
        var record = await platform.WaitForCallRecordAsync(c => c.GetProperty("direction").GetString() == "outbound", TimeSpan.FromSeconds(15))
            ?? throw new AssertionException("no record of the click-to-dial\n" + platform.Output);
        Assert.Multiple(() =>
        {
            Assert.That(carrierResult.SuccessfulCalls, Is.EqualTo(1), "one INVITE for the client reached the carrier\n" + carrierResult.Output + platform.Output);
            Assert.That(phoneResult.SuccessfulCalls, Is.EqualTo(2), "the agent's phone took the client's call, then rang first for the dial\n" + phoneResult.Output);
            Assert.That(record.GetProperty("caller").GetString(), Is.EqualTo(Client), record.ToString());
            Assert.That(record.GetProperty("agent").GetString(), Is.EqualTo("1004"));
            Assert.That(record.GetProperty("ivrPath").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "click-to-dial" }));
        });
    }
}
