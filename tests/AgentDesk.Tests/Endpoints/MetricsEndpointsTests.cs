using System.Net;
using System.Text.Json;
using CallCenter.Contracts.Agents;
using CallCenter.Contracts.Metrics;
using CallCenter.Contracts.Queues;
using CallCenter.Data;
using CallCenter.Data.Calls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CallCenter.AgentDesk.Tests.Endpoints;

/// <summary>GET /api/metrics on a loopback web app with the desk's endpoints and a fake report source.</summary>
public sealed class MetricsEndpointsTests
{
    private const string ApiKey = "test-api-key";

    private WebApplication _app = null!;
    private HttpClient _client = null!;
    private FakeMetrics _metrics = null!;

    [SetUp]
    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _metrics = new FakeMetrics();
        builder.Services.AddSingleton<IMetricsReports>(_metrics);
        EmptyRooms.Add(builder.Services);
        builder.Services.AddAgentDesk(new ApiOptions { Keys = [ApiKey] });
        _app = builder.Build();
        _app.MapAgentDesk();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new HttpClient { BaseAddress = new Uri(address) };
        _client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
    }

    [TearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Test]
    public async Task TheReportIsCamelCaseJsonWithDefinitionsBesideTheFigures()
    {
        using var response = await _client.GetAsync(new Uri("/api/metrics?date=2026-11-22&intervalMinutes=30&serviceLevelSeconds=25", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_metrics.Asked, Is.EqualTo(((DateOnly?)new DateOnly(2026, 11, 22), (int?)30, (int?)25)));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.EnumerateObject().Select(p => p.Name), Is.SupersetOf(new[]
            {
                "from", "to", "serviceLevelSeconds", "intervalMinutes", "definitions", "total", "byQueue", "byTier", "intervals", "occupancy",
            }));
            Assert.That(root.GetProperty("definitions").GetProperty("serviceLevel").GetString(), Is.EqualTo("answered within T seconds / answered"));
            Assert.That(root.GetProperty("total").GetProperty("serviceLevel").GetDouble(), Is.EqualTo(0.75));
            Assert.That(root.GetProperty("total").GetProperty("averageHandleTimeSeconds").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(root.GetProperty("byQueue").GetProperty("general").GetProperty("offered").GetInt32(), Is.EqualTo(4), "queue ids stay as they are");
            Assert.That(root.GetProperty("byTier").GetProperty("Gold").GetProperty("answered").GetInt32(), Is.EqualTo(3));
            var interval = root.GetProperty("intervals")[0];
            Assert.That(interval.EnumerateObject().Select(p => p.Name), Is.SupersetOf(new[] { "from", "to", "total", "byQueue", "byTier" }));
            Assert.That(root.GetProperty("occupancy").GetProperty("overall").GetProperty("occupancy").GetDouble(), Is.EqualTo(0.5));
            Assert.That(root.GetProperty("occupancy").GetProperty("byAgent").GetProperty("1001").GetProperty("staffedSeconds").GetDouble(), Is.EqualTo(100));
        });
    }

    [Test]
    public async Task EveryParameterIsOptional()
    {
        using var response = await _client.GetAsync(new Uri("/api/metrics", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_metrics.Asked, Is.EqualTo(((DateOnly?)null, (int?)null, (int?)null)));
    }

    [TestCase("date=2026-13-01", "date")]
    [TestCase("date=22.11.2026", "date")]
    [TestCase("intervalMinutes=0", "intervalMinutes")]
    [TestCase("intervalMinutes=abc", "intervalMinutes")]
    [TestCase("intervalMinutes=1441", "intervalMinutes")]
    [TestCase("serviceLevelSeconds=-5", "serviceLevelSeconds")]
    [TestCase("serviceLevelSeconds=2.5", "serviceLevelSeconds")]
    public async Task ABadParameterIsA400NamingIt(string query, string parameter)
    {
        using var response = await _client.GetAsync(new Uri("/api/metrics?" + query, UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(json.RootElement.GetProperty("parameter").GetString(), Is.EqualTo(parameter));
        Assert.That(json.RootElement.GetProperty("detail").GetString(), Does.StartWith(parameter));
        Assert.That(_metrics.Asked, Is.Null, "nothing was computed");
    }

    [Test]
    public async Task TheApiKeyIsRequired()
    {
        using var anonymous = new HttpClient { BaseAddress = _client.BaseAddress };

        using var response = await anonymous.GetAsync(new Uri("/api/metrics", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    private sealed class FakeMetrics : IMetricsReports
    {
        public (DateOnly?, int?, int?)? Asked { get; private set; }

        public Task<MetricsReport> ComputeAsync(DateOnly? date, int? intervalMinutes, int? serviceLevelSeconds, CancellationToken cancellationToken)
        {
            Asked = (date, intervalMinutes, serviceLevelSeconds);
            var from = new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.FromHours(8));
            var figures = new MetricFigures(4, 3, 1, 2, 0, 0.75, 0.75, 12.5, 0.25, null);
            var byGroup = new Dictionary<string, MetricFigures> { ["general"] = figures, ["Gold"] = figures };
            var occupancy = new OccupancyFigures(new AgentOccupancy(100, 50, 0.5), new Dictionary<string, AgentOccupancy> { ["1001"] = new(100, 50, 0.5) });
            return Task.FromResult(new MetricsReport(
                from,
                from.AddDays(1),
                from.AddHours(10),
                25,
                30,
                new Dictionary<string, string> { ["serviceLevel"] = "answered within T seconds / answered" },
                figures,
                byGroup,
                byGroup,
                [new MetricsInterval(from, from.AddMinutes(30), figures, byGroup, byGroup, occupancy)],
                occupancy));
        }
    }

}
