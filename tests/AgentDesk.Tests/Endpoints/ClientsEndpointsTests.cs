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
        await catalog.UpsertClientAsync(new ClientRecord("13800000003", "张伟", "6225****0003", "Gold", "1004", "zh", "深圳福田营业部"));
        await catalog.UpsertClientAsync(new ClientRecord("13800000005", "刘洋", "6225****0005", "Effective", null, "zh", "广州天河营业部"));
        var changes = new TierChangeRepository(factory);
        var at = new DateTimeOffset(2026, 4, 1, 2, 0, 0, TimeSpan.Zero);
        await changes.ApplyAsync(new TierReviewRecord("2026Q1", at, TierReviewSources.Job, 2, 1), [new TierChange("13800000003", "Quality", "Gold", "Gold: q1")]);
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

        Assert.That(all.RootElement.EnumerateArray().Select(c => c.GetProperty("quarter").GetString()), Is.EqualTo(new[] { "2026Q2", "2026Q1" }));
        var change = one.RootElement.EnumerateArray().Single();
        Assert.That(
            (change.GetProperty("oldTier").GetString(), change.GetProperty("newTier").GetString(), change.GetProperty("reason").GetString(), change.GetProperty("source").GetString()),
            Is.EqualTo(("Quality", "Gold", "Gold: q1", "job")));
        Assert.That(newest.RootElement.GetArrayLength(), Is.EqualTo(1));
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
