using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace CallCenter.Integration.Tests;

/// <summary>
/// A hotline serving two businesses (<c>--Tiers:Businesses=futures,securities</c>) with real sipp callers: a securities
/// client imported with a gold card (金卡) and the demo's futures Diamond (钻石) call the VIP line, wait side by side
/// named and coloured each by their own scheme, and are routed on the one scale of weights (the Diamond's 600 s ahead
/// of the card's 400 s, though the card called first), each call's routing explanation naming the tier's business.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public sealed class TierBusinessesCallTests
{
    private const string Card = "13900000201";
    private const string Diamond = "13800000001";

    private static async Task<(HttpStatusCode Status, string Body)> ImportAsync(PlatformProcess platform, string csv, string path = "api/admin/clients/import")
    {
        using var http = new HttpClient { BaseAddress = platform.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new StringContent(csv, Encoding.UTF8, "text/csv") };
        request.Headers.Add("X-Api-Key", "demo-api-key");
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static Sipp.Running Caller(PlatformProcess platform, string number) => Sipp.Start($"127.0.0.1:{platform.SipPort}", [
        "-sf", AgentPhone.Template("caller-until-bye.xml", new() { ["{CALLER}"] = number }),
        "-s", QuickQueueConfig.Line, "-m", "1", "-mp", CallCenter.TestSupport.FreePorts.UdpBlock(4).ToString(CultureInfo.InvariantCulture),
        "-timeout", "90s", "-timeout_error"]);

    private static async Task<JsonElement[]> WaitingCallersAsync(PlatformProcess platform, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var (_, queues) = await platform.GetApiAsync("api/queues");
            JsonElement[] callers = [.. queues.EnumerateArray().Where(q => q.GetProperty("id").GetString() == "vip").SelectMany(q => q.GetProperty("callers").EnumerateArray())];
            if (callers.Length >= count)
            {
                return callers;
            }

            await Task.Delay(100);
        }

        throw new AssertionException($"{count} callers never waited in the vip queue\n{platform.Output}");
    }

    private static async Task<JsonElement> RecordOf(PlatformProcess platform, string caller) =>
        await platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == caller, TimeSpan.FromSeconds(30))
        ?? throw new AssertionException($"no record for {caller}\n{platform.Output}");

    [Test]
    public async Task BothSchemesWithACollidingTierNameStopTheStartNamingTheKeys()
    {
        await using var platform = PlatformProcess.Start("--Tiers:Businesses=futures,securities", "--Tiers:Schemes:securities:0:Name=Platinum");

        var exitCode = await platform.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.That(exitCode, Is.EqualTo(2), platform.Output);
        Assert.That(platform.Output, Does.Contain("Tiers:Schemes:securities:0:Name \"Platinum\" collides with Tiers:Schemes:futures:1:Name"));
    }

    [Test]
    public async Task ASecuritiesCardAndAFuturesGradeCallAndAreEachNamedRoutedAndExplainedByTheirOwnScheme()
    {
        await using var platform = await PlatformProcess.StartAsync(QuickQueueConfig.Prepare, "--Tiers:Businesses=futures,securities", "--Agents:WrapUpSeconds=1");

        var (_, tiers) = await platform.GetApiAsync("api/admin/tiers");
        Assert.That(
            tiers.GetProperty("businesses").GetProperty("securities").EnumerateArray().Select(t => t.GetString()),
            Is.EqualTo(new[] { "PlatinumCard", "GoldCard", "SilverCard", "Ordinary" }),
            tiers.ToString());

        var import = await ImportAsync(platform,
            "phone,name,account_masked,tier,manager_extension,language,branch,business\n"
            + $"{Card},Card client,****0201,GoldCard,,zh,b,securities\n"
            + "13900000202,Wrong scheme,****0202,Diamond,,zh,b,securities\n");
        Assert.That(import.Status, Is.EqualTo(HttpStatusCode.OK), import.Body);
        using (var imported = JsonDocument.Parse(import.Body))
        {
            Assert.That(imported.RootElement.GetProperty("imported").GetInt32(), Is.EqualTo(1), import.Body);
            Assert.That(imported.RootElement.GetProperty("rejected")[0].GetProperty("line").GetInt32(), Is.EqualTo(3));
            Assert.That(imported.RootElement.GetProperty("rejected")[0].GetProperty("reason").GetString(), Does.Contain("not of the client's business securities"));
        }

        // One grading feed carries both businesses' figures (assets and commission for the card, equity and fees for the grade).
        var month = DateTime.UtcNow.AddMonths(-2).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var feed = await ImportAsync(platform, $"phone,month,average_equity,fees,month_end_equity\n{Card},{month},1200000.00,100,\n{Diamond},{month},15000000.00,0,\n", "api/admin/clients/figures");
        Assert.That(feed.Body, Does.Contain("\"imported\":2"), feed.Body);

        // The card calls first; the Diamond some seconds later; both wait (no agent yet).
        await using var card = Caller(platform, Card);
        await WaitingCallersAsync(platform, 1);
        await Task.Delay(2000);
        await using var diamond = Caller(platform, Diamond);
        var waiting = await WaitingCallersAsync(platform, 2);
        var byTier = waiting.ToDictionary(c => c.GetProperty("tier").GetString()!, c => (Zh: c.GetProperty("tierZh").GetString(), Colour: c.GetProperty("tierColour").GetString()));

        await using var agent = await AgentPhone.StartAsync(platform, "1002", calls: 2, hangUp: true, talkMilliseconds: 1500, expectPai: $"({Card}|{Diamond})");
        var agentResult = await agent.WaitAsync(TimeSpan.FromSeconds(60));
        var cardRecord = await RecordOf(platform, Card);
        var diamondRecord = await RecordOf(platform, Diamond);
        var cardRouting = cardRecord.GetProperty("routing").GetString();
        var diamondRouting = diamondRecord.GetProperty("routing").GetString();

        Assert.Multiple(() =>
        {
            Assert.That(byTier["GoldCard"], Is.EqualTo(("金卡", "#c99a06")), "the card named and coloured by the securities scheme");
            Assert.That(byTier["Diamond"], Is.EqualTo(("钻石", "#6f42c1")), "the grade by the futures scheme");
            Assert.That(agentResult.SuccessfulCalls, Is.EqualTo(2), agentResult.Output + platform.Output);
            Assert.That((cardRecord.GetProperty("tier").GetString(), diamondRecord.GetProperty("tier").GetString()), Is.EqualTo(("GoldCard", "Diamond")));
            Assert.That(diamondRouting, Does.Contain("(Diamond of futures, queue vip)").And.Contain("+ tier 600 s"), diamondRouting);
            Assert.That(cardRouting, Does.Contain("(GoldCard of securities, queue vip)").And.Contain("+ tier 400 s"), cardRouting);
            Assert.That(
                diamondRecord.GetProperty("answeredAt").GetDateTimeOffset(), Is.LessThan(cardRecord.GetProperty("answeredAt").GetDateTimeOffset()),
                "the Diamond's 600 s are ahead of the card's 400 s plus its few seconds' longer wait");
        });
    }
}
