using System.Net;
using System.Text.Json;
using CallCenter.Contracts.Agents;
using CallCenter.Contracts.Queues;
using CallCenter.Data;
using CallCenter.Data.Calls;
using CallCenter.Data.Catalog;
using CallCenter.Data.Clients;
using CallCenter.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CallCenter.AgentDesk.Tests.Endpoints;

public sealed class ClientsEndpointsTests
{
    private const string Key = "test-api-key";

    private string _file = "";
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _file = TestDatabases.NewSqliteFile();
        var factory = new DbConnectionFactory(new DatabaseOptions { ConnectionString = "Data Source=" + _file });
        await new Migrator(factory).MigrateAsync();
        var catalog = new CatalogRepository(factory);
        await catalog.UpsertAgentAsync(new AgentRecord("1004", "周强 Zhou Qiang", "callcenter", "a", "b"));
        // Each at the tier the reviews below change them from.
        await catalog.UpsertClientAsync(new ClientRecord("13800000003", "张伟", "6225****0003", "Quality", "1004", "zh", "深圳福田营业部"));
        await catalog.UpsertClientAsync(new ClientRecord("13800000005", "刘洋", "6225****0005", "Dormant", null, "zh", "广州天河营业部", CallHours: "14:00-16:00"));
        await catalog.UpsertClientAsync(new ClientRecord("13800000006", "陈静", "6225****0006", "Effective", null, "zh", "杭州西湖营业部", "吴敏 Wu Min", "+8657188886666"));
        var changes = new TierChangeRepository(factory);
        var at = new DateTimeOffset(2026, 4, 1, 2, 0, 0, TimeSpan.Zero);
        await changes.ApplyAsync(
            new TierReviewRecord("2026Q1", at, TierReviewSources.Job, 3, 2, new Dictionary<string, int> { ["Quality"] = 1, ["Effective"] = 2 }, new Dictionary<string, int> { ["Gold"] = 1, ["Effective"] = 1, ["Dormant"] = 1 }, 2),
            [new TierChange("13800000003", "Quality", "Gold", "Gold: q1"), new TierChange("13800000006", "Effective", "Dormant", "Dormant: q1")]);
        await changes.ApplyAsync(new TierReviewRecord("2026Q2", at.AddMonths(3), TierReviewSources.Command, 2, 1), [new TierChange("13800000005", "Dormant", "Effective", "Effective: q2")]);

        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddAgentDesk(new ApiOptions { Keys = [Key] });
        builder.Services.AddSingleton(factory);
        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton(changes);
        EmptyRooms.Add(builder.Services, factory);
        _app = builder.Build();
        _app.MapAgentDesk();
        await _app.StartAsync();
        _http = _app.GetTestClient();
        _http.DefaultRequestHeaders.Add("X-Api-Key", Key);
    }

    [TearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
        CallCenter.TestSupport.TestDatabases.DeleteSqliteFile(_file);
    }

    [Test]
    public async Task AClientsOwnCallingHoursAreShownAndNullWhenTheyHaveNone()
    {
        using var hours = await GetJsonAsync("/api/clients/13800000005");
        using var none = await GetJsonAsync("/api/clients/13800000003");

        Assert.That(hours.RootElement.GetProperty("callHours").GetString(), Is.EqualTo("14:00-16:00"));
        Assert.That(none.RootElement.GetProperty("callHours").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task AClientIsFoundByPhoneWithTheirAccountManager()
    {
        using var json = await GetJsonAsync("/api/clients/13800000003");

        var client = json.RootElement;
        Assert.That(client.GetProperty("name").GetString(), Is.EqualTo("张伟"));
        Assert.That(client.GetProperty("maskedAccount").GetString(), Is.EqualTo("6225****0003"));
        Assert.That(client.GetProperty("tier").GetString(), Is.EqualTo("Gold"));
        Assert.That(client.GetProperty("accountManager").GetString(), Is.EqualTo("1004"));
        Assert.That(client.GetProperty("accountManagerName").GetString(), Is.EqualTo("周强 Zhou Qiang"));
        Assert.That(client.GetProperty("language").GetString(), Is.EqualTo("zh"));
        Assert.That(client.GetProperty("branch").GetString(), Is.EqualTo("深圳福田营业部"));
    }

    [Test]
    public async Task AnUnknownPhoneIsA404WithAJsonError()
    {
        using var response = await _http.GetAsync(new Uri("/api/clients/13900000000", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Does.Contain("json"));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("13900000000"));
    }

    [Test]
    public async Task TierChangesAreNewestFirstAndFilterByPhone()
    {
        using var all = await GetJsonAsync("/api/tier-changes");
        using var one = await GetJsonAsync("/api/tier-changes?phone=13800000003");
        using var newest = await GetJsonAsync("/api/tier-changes?limit=1");

        Assert.That(all.RootElement.EnumerateArray().Select(c => c.GetProperty("quarter").GetString()), Is.EqualTo(new[] { "2026Q2", "2026Q1", "2026Q1" }));
        var change = one.RootElement.EnumerateArray().Single();
        Assert.That(
            (change.GetProperty("oldTier").GetString(), change.GetProperty("newTier").GetString(), change.GetProperty("reason").GetString(), change.GetProperty("source").GetString()),
            Is.EqualTo(("Quality", "Gold", "Gold: q1", "job")));
        Assert.That(newest.RootElement.GetArrayLength(), Is.EqualTo(1));
    }

    [Test]
    public async Task AClientsManagerOutsideTheHotlineIsANameAndAPhone()
    {
        using var json = await GetJsonAsync("/api/clients/13800000006");

        var client = json.RootElement;
        Assert.That(client.GetProperty("accountManager").ValueKind, Is.EqualTo(JsonValueKind.Null), "no extension: calls are not routed to them");
        Assert.That(client.GetProperty("accountManagerName").GetString(), Is.EqualTo("吴敏 Wu Min"));
        Assert.That(client.GetProperty("accountManagerPhone").GetString(), Is.EqualTo("+8657188886666"));
    }

    [Test]
    public async Task TheReviewsHistoryShowsEachQuartersCountsPerTierBeforeAndAfter()
    {
        using var json = await GetJsonAsync("/api/tier-reviews");

        var reviews = json.RootElement.EnumerateArray().ToList();
        Assert.That(reviews.Select(r => r.GetProperty("quarter").GetString()), Is.EqualTo(new[] { "2026Q2", "2026Q1" }));
        var q1 = reviews[1];
        Assert.That((q1.GetProperty("changes").GetInt32(), q1.GetProperty("notices").GetInt32()), Is.EqualTo((2, 2)));
        Assert.That(q1.GetProperty("tiersBefore").GetProperty("Effective").GetInt32(), Is.EqualTo(2));
        Assert.That(q1.GetProperty("tiersAfter").GetProperty("Gold").GetInt32(), Is.EqualTo(1));
        Assert.That(reviews[0].GetProperty("tiersBefore").ValueKind, Is.EqualTo(JsonValueKind.Null), "a review applied without counts shows none");
    }

    [Test]
    public async Task AReviewListsItsChangesByAccountManagerAgentsAndOutsideManagersAlike()
    {
        using var json = await GetJsonAsync("/api/tier-reviews/2026Q1");

        var managers = json.RootElement.GetProperty("managers").EnumerateArray().ToList();
        Assert.That(managers.Select(m => (m.GetProperty("extension").GetString(), m.GetProperty("name").GetString())), Is.EqualTo(new[]
        {
            ((string?)"1004", (string?)"周强 Zhou Qiang"),
            (null, "吴敏 Wu Min"),
        }));
        Assert.That(managers[1].GetProperty("phone").GetString(), Is.EqualTo("+8657188886666"));
        var client = managers[0].GetProperty("clients").EnumerateArray().Single();
        Assert.That((client.GetProperty("phone").GetString(), client.GetProperty("name").GetString(), client.GetProperty("newTier").GetString()), Is.EqualTo(("13800000003", "张伟", "Gold")));
    }

    [Test]
    public async Task AQuarterNeverReviewedIsA404()
    {
        using var response = await _http.GetAsync(new Uri("/api/tier-reviews/2025Q4", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("2025Q4"));
    }

    [Test]
    public async Task ALimitOutOfRangeIsABadRequest()
    {
        using var response = await _http.GetAsync(new Uri("/api/tier-changes?limit=0", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task WithoutAnApiKeyTheDirectoryIsClosed()
    {
        using var anonymous = _app.GetTestClient();

        using var response = await anonymous.GetAsync(new Uri("/api/clients/13800000003", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    private async Task<JsonDocument> GetJsonAsync(string path)
    {
        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

}
