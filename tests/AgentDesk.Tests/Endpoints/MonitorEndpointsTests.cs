using System.Net;
using System.Text;
using CallCenter.Contracts.Calls;
using CallCenter.Data;
using CallCenter.Data.Desk;
using CallCenter.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CallCenter.AgentDesk.Tests.Endpoints;

/// <summary>
/// POST /api/calls/{id}/monitor and DELETE /api/calls/{id}/monitor/{extension} on a test server
/// with a fake host behind <see cref="IMonitorControl"/> and a real, migrated SQLite audit log.
/// </summary>
public sealed class MonitorEndpointsTests
{
    private const string Key = "test-key";
    private string _file = "";
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private FakeMonitor _monitor = null!;
    private AuditRepository _audit = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _file = TestDatabases.NewSqliteFile();
        var factory = new DbConnectionFactory(new DatabaseOptions { ConnectionString = "Data Source=" + _file });
        await new Migrator(factory).MigrateAsync();
        _audit = new AuditRepository(factory);
        _monitor = new FakeMonitor();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddAgentDesk(new ApiOptions { Keys = [Key] });
        builder.Services.AddSingleton<IMonitorControl>(_monitor);
        builder.Services.AddSingleton(_audit);
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

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri(path, UriKind.Relative), content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task EachModeIsPassedToTheHostAndAuditedAsDoneByTheApiKey()
    {
        var listen = await PostAsync("/api/calls/c1/monitor", "{\"mode\": \"listen\", \"extension\": \"1900\"}");
        var whisper = await PostAsync("/api/calls/c1/monitor", "{\"mode\": \"Whisper\", \"extension\": \" 1900 \"}");
        var barge = await PostAsync("/api/calls/c1/monitor", "{\"mode\": \"barge\", \"extension\": \"1900\"}");
        var audit = await _audit.ListAsync(10);

        Assert.That(new[] { listen.Status, whisper.Status, barge.Status }, Has.All.EqualTo(HttpStatusCode.OK), listen.Body);
        Assert.That(whisper.Body, Does.Contain("\"mode\":\"whisper\""));
        Assert.That(_monitor.Asked, Is.EqualTo(new[] { "c1 1900 Listen", "c1 1900 Whisper", "c1 1900 Barge" }));
        Assert.That(audit.Select(a => (a.Actor, a.Role, a.Action, a.Target, a.Outcome)), Has.All.EqualTo(("api-key", "api", "call.monitor", "c1", AuditEntry.Done)));
        Assert.That(audit[0].Detail, Does.Contain("barge").And.Contain("1900"));
    }

    [TestCase("{\"mode\": \"shout\", \"extension\": \"1900\"}", "mode")]
    [TestCase("{\"mode\": \"0\", \"extension\": \"1900\"}", "mode")]
    [TestCase("{\"extension\": \"1900\"}", "mode")]
    [TestCase("{\"mode\": \"listen\"}", "extension")]
    public async Task ABadModeOrNoExtensionIsA400AndIsAuditedAsRefused(string body, string named)
    {
        var response = await PostAsync("/api/calls/c1/monitor", body);
        var audit = await _audit.ListAsync(10);

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.BadRequest), response.Body);
        Assert.That(response.Body, Does.Contain(named));
        Assert.That(_monitor.Asked, Is.Empty);
        Assert.That(audit.Single().Outcome, Is.EqualTo(AuditEntry.Refused));
    }

    [TestCase(CallControlError.UnknownCall, HttpStatusCode.NotFound)]
    [TestCase(CallControlError.NotBridged, HttpStatusCode.Conflict)]
    [TestCase(CallControlError.TargetUnavailable, HttpStatusCode.Conflict)]
    [TestCase(CallControlError.UnknownTarget, HttpStatusCode.UnprocessableEntity)]
    public async Task TheHostsRefusalIsAProblemWithItsReasonAndIsAudited(CallControlError error, HttpStatusCode status)
    {
        _monitor.Next = new CallControlResult(error, "the phone of 1900 is not registered");

        var response = await PostAsync("/api/calls/c2/monitor", "{\"mode\": \"listen\", \"extension\": \"1900\"}");
        var audit = (await _audit.ListAsync(10)).Single();

        Assert.That(response.Status, Is.EqualTo(status));
        Assert.That(response.Body, Does.Contain("the phone of 1900 is not registered"));
        Assert.That((audit.Outcome, audit.Target), Is.EqualTo((AuditEntry.Refused, "c2")));
        Assert.That(audit.Detail, Does.Contain("not registered"));
    }

    [TestCase(CallControlError.None, HttpStatusCode.OK)]
    [TestCase(CallControlError.UnknownTarget, HttpStatusCode.NotFound)]
    [TestCase(CallControlError.UnknownCall, HttpStatusCode.NotFound)]
    public async Task StoppingEndsTheSupervisorsLegAndIsAudited(CallControlError error, HttpStatusCode status)
    {
        _monitor.Next = new CallControlResult(error, "stopped or why not");

        using var response = await _http.DeleteAsync(new Uri("/api/calls/c3/monitor/1900", UriKind.Relative));
        var audit = (await _audit.ListAsync(10)).Single();

        Assert.That(response.StatusCode, Is.EqualTo(status));
        Assert.That(_monitor.Asked, Is.EqualTo(new[] { "stop c3 1900" }));
        Assert.That((audit.Action, audit.Outcome), Is.EqualTo(("call.monitor-stop", error == CallControlError.None ? AuditEntry.Done : AuditEntry.Refused)));
    }

    [Test]
    public async Task WithoutAnApiKeyOrSessionNothingIsDone()
    {
        using var anonymous = _app.GetTestClient();
        using var content = new StringContent("{\"mode\": \"listen\", \"extension\": \"1900\"}", Encoding.UTF8, "application/json");
        using var response = await anonymous.PostAsync(new Uri("/api/calls/c1/monitor", UriKind.Relative), content);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(_monitor.Asked, Is.Empty);
    }

    private sealed class FakeMonitor : IMonitorControl
    {
        public List<string> Asked { get; } = [];

        public CallControlResult Next { get; set; } = new(CallControlError.None, "ringing 1900");

        public Task<CallControlResult> MonitorAsync(string callId, string supervisorExtension, MonitorMode mode)
        {
            Asked.Add($"{callId} {supervisorExtension} {mode}");
            return Task.FromResult(Next);
        }

        public Task<CallControlResult> StopMonitorAsync(string callId, string supervisorExtension)
        {
            Asked.Add($"stop {callId} {supervisorExtension}");
            return Task.FromResult(Next);
        }
    }
}
