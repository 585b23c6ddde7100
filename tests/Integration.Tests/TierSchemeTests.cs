using System.Net;
using System.Text;
using System.Text.Json;

namespace CallCenter.Integration.Tests;

/// <summary>
/// The tier schemes on the running platform: started on the securities cards, the admin API shows them and the
/// client import and the grading feed take them; an overlapping threshold stops the start naming its key.
/// </summary>
[NonParallelizable]
public sealed class TierSchemeTests
{
    private static async Task<(HttpStatusCode Status, string Body)> PostCsvAsync(PlatformProcess platform, string path, string csv)
    {
        using var http = new HttpClient { BaseAddress = platform.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new StringContent(csv, Encoding.UTF8, "text/csv") };
        request.Headers.Add("X-Api-Key", "demo-api-key");
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task OnTheSecuritiesSchemeTheImportTakesCardsAndRefusesFuturesGradesAndTheFeedTakesFigures()
    {
        await using var platform = await PlatformProcess.StartAsync("--Tiers:Scheme=securities");

        var (_, tiers) = await platform.GetApiAsync("api/admin/tiers");
        var import = await PostCsvAsync(platform, "api/admin/clients/import",
            "phone,name,account_masked,tier,manager_extension,language,branch\n"
            + "13900000101,Silver client,****0101,SilverCard,,zh,b\n"
            + "13900000102,Futures grade,****0102,Diamond,,zh,b\n");
        var feed = await PostCsvAsync(platform, "api/admin/clients/figures",
            "phone,month,average_equity,fees,month_end_equity\n"
            + "13900000101,2026-01,250000.00,2100,\n"
            + "13900000102,2026-01,1,1,\n");

        Assert.Multiple(() =>
        {
            Assert.That(tiers.GetProperty("scheme").GetString(), Is.EqualTo("securities"));
            Assert.That(tiers.GetProperty("tiers").EnumerateArray().Select(t => t.GetString()), Is.EqualTo(new[] { "PlatinumCard", "GoldCard", "SilverCard", "Ordinary" }));
            Assert.That(tiers.GetProperty("definitions")[2].GetProperty("zh").GetString(), Is.EqualTo("银卡"));
            Assert.That(tiers.GetProperty("bonusSeconds").GetProperty("SilverCard").GetInt32(), Is.EqualTo(120));
            Assert.That(import.Status, Is.EqualTo(HttpStatusCode.OK), import.Body);
            using var imported = JsonDocument.Parse(import.Body);
            Assert.That(imported.RootElement.GetProperty("imported").GetInt32(), Is.EqualTo(1));
            Assert.That(imported.RootElement.GetProperty("rejected")[0].GetProperty("line").GetInt32(), Is.EqualTo(3));
            Assert.That(imported.RootElement.GetProperty("rejected")[0].GetProperty("reason").GetString(), Does.Contain("unknown tier \"Diamond\""));
            Assert.That(feed.Status, Is.EqualTo(HttpStatusCode.OK), feed.Body);
            using var fed = JsonDocument.Parse(feed.Body);
            Assert.That(fed.RootElement.GetProperty("imported").GetInt32(), Is.EqualTo(1));
            Assert.That(fed.RootElement.GetProperty("rejected")[0].GetProperty("reason").GetString(), Does.Contain("no client of the directory"));
        });
    }

    [Test]
    public async Task AnOverlappingThresholdStopsTheStartNamingItsKey()
    {
        await using var platform = PlatformProcess.Start("--Tiers:Schemes:securities:2:MinEquity=2000000");

        var exitCode = await platform.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.That(exitCode, Is.EqualTo(2), platform.Output);
        Assert.That(platform.Output, Does.Contain("Tiers:Schemes:securities:2:MinEquity (2,000,000) overlaps the higher tier's Tiers:Schemes:securities:1:MinEquity"));
    }
}
