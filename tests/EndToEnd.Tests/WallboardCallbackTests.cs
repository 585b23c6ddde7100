using System.Globalization;
using CallCenter.Integration.Tests;
using Microsoft.Playwright;

namespace CallCenter.EndToEnd.Tests;

/// <summary>
/// A supervisor in Chromium books a callback on the wallboard for agent 1002 in the VIP queue an hour ahead, finds it
/// among the callbacks waiting (number masked, owner) and cancels it; a number the dial plan refuses is answered with
/// the reason under the form, and nothing is listed for it. The platform has a trunk (callbacks are refused without
/// one), which nothing answers: the callback never comes due during the test.
/// </summary>
[NonParallelizable]
public sealed class WallboardCallbackTests
{
    [Test]
    public async Task ASupervisorBooksACallbackForAnAgentOnTheWallboardAndCancelsIt()
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        var shots = new Screenshots();
        var carrierPort = CallCenter.TestSupport.FreePorts.UdpAndTcp();
        await using var platform = await PlatformProcess.StartAsync(
            "--Trunks:0:Name=carrier", $"--Trunks:0:Address=127.0.0.1:{carrierPort.ToString(CultureInfo.InvariantCulture)}",
            "--Trunks:0:Transport=udp", "--Trunks:0:CallerId=95500");
        await using var chromium = await Chromium.LaunchAsync();
        await using var context = await chromium.NewContextAsync(platform.BaseAddress);
        var wallboard = await DeskSession.SignInAsync(context, "super", "demo-super", DeskPages.Wallboard);
        await Assertions.Expect(wallboard.TestId("wb-callbacks-none")).ToBeVisibleAsync();

        // The browser's datetime-local is its own local time, as this process's.
        var inAnHour = DateTime.Now.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        await wallboard.TestId("wb-callback-number").FillAsync("110");
        await wallboard.TestId("wb-callback-at").FillAsync(inAnHour);
        await wallboard.TestId("wb-callback-book").ClickAsync();
        await Assertions.Expect(wallboard.TestId("wb-callback-message")).ToContainTextAsync("回电预约被拒绝");
        await Assertions.Expect(wallboard.TestId("wb-callback-message")).ToContainTextAsync("emergency");
        await Assertions.Expect(wallboard.TestId("wb-callbacks-none")).ToBeVisibleAsync();

        await wallboard.TestId("wb-callback-number").FillAsync("139 0000 0071");
        await wallboard.TestId("wb-callback-queue").SelectOptionAsync("vip");
        await wallboard.TestId("wb-callback-owner").SelectOptionAsync("1002");
        await wallboard.TestId("wb-callback-book").ClickAsync();
        await Assertions.Expect(wallboard.TestId("wb-callback-message")).ToContainTextAsync("139****0071");
        await Assertions.Expect(wallboard.TestId("wb-callback-message")).Not.ToContainTextAsync("13900000071");
        var row = wallboard.TestId("wb-callbacks-waiting").Locator("tr");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync("139****0071");
        await Assertions.Expect(row).ToContainTextAsync("1002");
        await Assertions.Expect(row).ToContainTextAsync("super");
        await Assertions.Expect(wallboard.TestId("callbacks-vip-later")).ToHaveTextAsync("1");
        await shots.TakeAsync(wallboard, "callback-booked");

        await row.GetByRole(AriaRole.Button).ClickAsync();
        await Assertions.Expect(wallboard.TestId("wb-callback-message")).ToContainTextAsync("回电已取消");
        await Assertions.Expect(wallboard.TestId("wb-callbacks-none")).ToBeVisibleAsync();
        await Assertions.Expect(wallboard.TestId("callbacks-vip")).ToHaveCountAsync(0);
        var (_, cancelled) = await platform.GetApiAsync("api/callbacks?status=cancelled");
        Assert.That(cancelled.EnumerateArray().Select(c => (c.GetProperty("number").GetString(), c.GetProperty("source").GetString(), c.GetProperty("cancelledBy").GetString())),
            Is.EqualTo(new[] { ("13900000071", "wallboard", "super") }));
    }
}
