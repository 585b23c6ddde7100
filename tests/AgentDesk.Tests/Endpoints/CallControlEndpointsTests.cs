using System.Net;
using System.Text;
using CallCenter.Contracts.Calls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CallCenter.AgentDesk.Tests.Endpoints;

/// <summary>The call-control endpoints on a test server with a fake B2BUA: request checks and how results map to statuses.</summary>
public sealed class CallControlEndpointsTests
{
    private const string Key = "test-key";
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private FakeCalls _calls = null!;

    [SetUp]
    public async Task StartAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddAgentDesk(new ApiOptions { Keys = [Key] });
        _calls = new FakeCalls();
        builder.Services.AddSingleton<ICallControl>(_calls);
        EmptyRooms.Add(builder.Services);
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
    }

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri(path, UriKind.Relative), content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task ATransferNeedsATargetAndPassesItTrimmed()
    {
        var missing = await PostAsync("/api/calls/c1/transfer", "{}");
        var done = await PostAsync("/api/calls/c1/transfer", "{\"target\": \" 1002 \"}");

        Assert.That(missing.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(missing.Body, Does.Contain("target"));
        Assert.That(done.Status, Is.EqualTo(HttpStatusCode.OK), done.Body);
        Assert.That(_calls.Asked, Is.EqualTo(new[] { "transfer c1 1002" }));
    }

    [TestCase(CallControlError.UnknownCall, HttpStatusCode.NotFound)]
    [TestCase(CallControlError.NotBridged, HttpStatusCode.Conflict)]
    [TestCase(CallControlError.TargetUnavailable, HttpStatusCode.Conflict)]
    [TestCase(CallControlError.UnknownTarget, HttpStatusCode.UnprocessableEntity)]
    public async Task RefusalsAreProblemsWithTheirReason(CallControlError error, HttpStatusCode status)
    {
        _calls.Next = new CallControlResult(error, "the reason why");

        var consult = await PostAsync("/api/calls/c2/consult", "{\"target\": \"1003\"}");
        var complete = await PostAsync("/api/calls/c2/consult/complete", "{}");
        var cancel = await PostAsync("/api/calls/c2/consult/cancel", "{}");

        Assert.That(new[] { consult.Status, complete.Status, cancel.Status }, Has.All.EqualTo(status));
        Assert.That(consult.Body, Does.Contain("the reason why"));
        Assert.That(_calls.Asked, Is.EqualTo(new[] { "consult c2 1003", "complete c2", "cancel c2" }));
    }

    [Test]
    public async Task WithoutAnApiKeyNothingIsDone()
    {
        using var anonymous = _app.GetTestClient();
        using var content = new StringContent("{\"target\": \"1002\"}", Encoding.UTF8, "application/json");
        using var response = await anonymous.PostAsync(new Uri("/api/calls/c1/transfer", UriKind.Relative), content);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(_calls.Asked, Is.Empty);
    }

    private sealed class FakeCalls : ICallControl
    {
        public List<string> Asked { get; } = [];

        public CallControlResult Next { get; set; } = new(CallControlError.None, "done");

        public Task<CallControlResult> TransferAsync(string callId, string target) => Answer($"transfer {callId} {target}");

        public Task<CallControlResult> ConsultAsync(string callId, string target) => Answer($"consult {callId} {target}");

        public Task<CallControlResult> CompleteConsultAsync(string callId) => Answer($"complete {callId}");

        public Task<CallControlResult> CancelConsultAsync(string callId) => Answer($"cancel {callId}");

        private Task<CallControlResult> Answer(string request)
        {
            Asked.Add(request);
            return Task.FromResult(Next);
        }
    }
}
