using System.Text.Json;
using System.Threading.Channels;
using CallCenter.AgentDesk.Hubs;
using CallCenter.Contracts.Calls;
using CallCenter.Data.Calls;
using CallCenter.Data.Desk;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace CallCenter.AgentDesk.Tests.Hubs;

/// <summary>The agent hub over a real SignalR connection: pops to the right agent only, own-call checks, wrap-up and history.</summary>
public sealed class AgentHubTests
{
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(10);
    private HubHost _host = null!;

    [SetUp]
    public async Task StartAsync() => _host = await HubHost.StartAsync();

    [TearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public async Task AnAgentReceivesTheirPopAndAnotherAgentDoesNot()
    {
        await using var first = await _host.ConnectAsync("/hubs/agent", "1001");
        await using var second = await _host.ConnectAsync("/hubs/agent", "1002");
        var firstPops = Inbox<CallPop>(first, "pop");
        var secondPops = Inbox<CallPop>(second, "pop");
        _host.Agents.Set("1001", "offered", "c1");

        _host.Events.Offered(Pop("c1", "1001"));
        var got = await firstPops.ReadAsync().AsTask().WaitAsync(_wait);
        _host.Events.Offered(Pop("c2", "1002"));
        var other = await secondPops.ReadAsync().AsTask().WaitAsync(_wait);

        Assert.That(got.CallId, Is.EqualTo("c1"));
        Assert.That(got.Name, Is.EqualTo("王芳"));
        Assert.That(got.IvrPath.Select(s => s.Keys), Is.EqualTo(new[] { "1", "******" }));
        Assert.That(other.CallId, Is.EqualTo("c2"));

        // The pump sends in order: c1 went out before c2 was queued, so neither agent saw the other's pop.
        Assert.That(firstPops.TryRead(out _), Is.False);
        Assert.That(secondPops.TryRead(out _), Is.False);
        var current = await first.InvokeAsync<AgentCurrent>("current");
        Assert.That(current.Pop?.CallId, Is.EqualTo("c1"));
        Assert.That(current.Agent.State, Is.EqualTo("offered"));
        Assert.That(current.DispositionCodes.Select(c => c.Code), Does.Contain("resolved"));
        Assert.That(current.WrapUpSeconds, Is.EqualTo(15));
    }

    [Test]
    public async Task CallStatesAndAgentStatesReachOnlyThatAgentsDesk()
    {
        await using var first = await _host.ConnectAsync("/hubs/agent", "1001");
        await using var second = await _host.ConnectAsync("/hubs/agent", "1002");
        var firstCalls = Inbox<DeskCallState>(first, "callState");
        var secondStates = Inbox<CallCenter.Contracts.Agents.AgentSnapshot>(second, "agentState");

        _host.Events.CallChanged(new DeskCallState("c1", "1001", DeskCallPhase.Held, DateTimeOffset.UnixEpoch, null));
        _host.Events.AgentChanged(new CallCenter.Contracts.Agents.AgentSnapshot("1002", "break", true, DateTimeOffset.UnixEpoch, "lunch", null));

        Assert.That((await firstCalls.ReadAsync().AsTask().WaitAsync(_wait)).State, Is.EqualTo(DeskCallPhase.Held));
        Assert.That((await secondStates.ReadAsync().AsTask().WaitAsync(_wait)).Reason, Is.EqualTo("lunch"));
    }

    [Test]
    public async Task AnAgentsHoldTransferAndWrapUpOnAnotherAgentsCallAreRefusedAndAudited()
    {
        _host.Agents.Set("1001", "onCall", "c1");
        _host.Agents.Set("1002", "onCall", "c2");
        await using var agent = await _host.ConnectAsync("/hubs/agent", "1001");

        var hold = Assert.ThrowsAsync<HubException>(() => agent.InvokeAsync<HubResult>("hold", "c2"));
        var transfer = Assert.ThrowsAsync<HubException>(() => agent.InvokeAsync<HubResult>("transfer", "c2", "general"));
        var wrapUp = Assert.ThrowsAsync<HubException>(() => agent.InvokeAsync<HubResult>("wrapUp", "c2", "resolved", "notes"));
        var own = await agent.InvokeAsync<HubResult>("hold", "c1");

        Assert.That(hold!.Message, Does.Contain("不是您当前的通话").And.Contain("not your current call"));
        Assert.That(transfer!.Message, Does.Contain("not your current call"));
        Assert.That(wrapUp!.Message, Does.Contain("not your current call"));
        Assert.That(own.Ok, Is.True);
        Assert.That(_host.Calls.Asked, Is.EqualTo(new[] { "hold c1" }), "only the agent's own call reached the host");
        var audit = await new AuditRepository(_host.Factory).ListAsync(10);
        Assert.That(audit.Select(e => (e.Actor, e.Action, e.Target, e.Outcome)), Is.EquivalentTo(new[]
        {
            ("1001", "hold", "c2", AuditEntry.Refused),
            ("1001", "transfer", "c2", AuditEntry.Refused),
            ("1001", "wrap-up", "c2", AuditEntry.Refused),
        }));
        Assert.That(_host.Log, Has.Some.StartsWith("Warning:").And.Contains("1001").And.Contains("c2").And.Contains("not their call"));
    }

    [Test]
    public async Task TheHostsRefusalComesBackAsABilingualHubExceptionAndIsAudited()
    {
        _host.Agents.Set("1001", "onCall", "c1");
        _host.Calls.Next = new CallControlResult(CallControlError.UnknownTarget, "\"13900000000\" is not an agent's extension");
        await using var agent = await _host.ConnectAsync("/hubs/agent", "1001");

        var refused = Assert.ThrowsAsync<HubException>(() => agent.InvokeAsync<HubResult>("transfer", "c1", "13900000000"));

        Assert.That(refused!.Message, Does.Contain("转接目标不存在").And.Contain("13900000000"));
        var audit = await new AuditRepository(_host.Factory).ListAsync(10);
        Assert.That(audit.Single().Outcome, Is.EqualTo(AuditEntry.Refused));
    }

    [Test]
    public async Task AWrapUpAfterTheCallEndedIsAcceptedForTheAgentsLastCallOnly()
    {
        _host.Agents.Set("1001", "available");
        _host.Events.CallChanged(new DeskCallState("c1", "1001", DeskCallPhase.Ended, DateTimeOffset.UnixEpoch, null));
        await using var agent = await _host.ConnectAsync("/hubs/agent", "1001");

        var done = await agent.InvokeAsync<HubResult>("wrapUp", "c1", "resolved", " called back ");
        var stale = Assert.ThrowsAsync<HubException>(() => agent.InvokeAsync<HubResult>("hold", "c1"));
        var noCode = Assert.ThrowsAsync<HubException>(() => agent.InvokeAsync<HubResult>("wrapUp", "c1", "", null));

        Assert.That(done.Ok, Is.True);
        Assert.That(stale!.Message, Does.Contain("not your current call"), "only a wrap-up may name a call that has ended");
        Assert.That(noCode!.Message, Does.Contain("disposition code"));
        Assert.That(_host.Calls.Asked, Is.EqualTo(new[] { "wrap-up 1001 c1 resolved called back" }));
    }

    [Test]
    public async Task ABreakNeedsAReasonAndTheStateChangeIsTheAgentsOwn()
    {
        _host.Agents.Set("1001", "available");
        await using var agent = await _host.ConnectAsync("/hubs/agent", "1001");

        var noReason = Assert.ThrowsAsync<HubException>(() => agent.InvokeAsync<HubResult>("setState", "break", " "));
        var done = await agent.InvokeAsync<HubResult>("setState", "break", "lunch");

        var unknown = Assert.ThrowsAsync<HubException>(() => agent.InvokeAsync<HubResult>("setState", "napping", null));

        Assert.That(noReason!.Message, Does.Contain("reason"));
        Assert.That(done.Ok, Is.True);
        Assert.That(unknown!.Message, Does.Contain("available, break or offline"));
        Assert.That(_host.Agents.Requests, Is.EqualTo(new[] { "1001 break lunch", "1001 napping" }));
        var audit = await new AuditRepository(_host.Factory).ListAsync(10);
        Assert.That(audit.Select(e => (e.Action, e.Target, e.Outcome)), Is.EqualTo(new[] { ("set-state", "1001", AuditEntry.Refused) }));
    }

    [Test]
    public async Task AStateKeptForAfterACallAnotherNodeHoldsSaysSoOnTheDesk()
    {
        _host.Agents.Set("1001", "onCall", "c1");
        _host.Agents.AfterCall = "agent 1001 is on a call (call c1) through node node-2: break applies after that call (node node-2 applies it)";
        await using var agent = await _host.ConnectAsync("/hubs/agent", "1001");

        var kept = await agent.InvokeAsync<HubResult>("setState", "break", "lunch");

        Assert.That(kept.Ok, Is.True);
        Assert.That(kept.Message, Does.Contain("applies after that call"));
    }

    [Test]
    public async Task HistoryShowsOnlyTheAgentsOwnCallsNewestFirstWithTheWrapUp()
    {
        var records = new CallRecordRepository(_host.Factory);
        var start = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
        await records.InsertOnceAsync(Record("a", "1001", start, "resolved"));
        await records.InsertOnceAsync(Record("b", "1002", start.AddMinutes(1), null));
        await records.InsertOnceAsync(Record("c", "1001", start.AddMinutes(2), null));
        await using var agent = await _host.ConnectAsync("/hubs/agent", "1001");

        var history = await agent.InvokeAsync<JsonElement>("history", 10);
        var badLimit = Assert.ThrowsAsync<HubException>(() => agent.InvokeAsync<JsonElement>("history", 0));

        Assert.That(history.EnumerateArray().Select(r => r.GetProperty("id").GetString()), Is.EqualTo(new[] { "c", "a" }));
        Assert.That(history[1].GetProperty("wrapUpCode").GetString(), Is.EqualTo("resolved"));
        Assert.That(badLimit!.Message, Does.Contain("limit"));
    }

    private static CallRecord Record(string id, string agent, DateTimeOffset at, string? code) => new()
    {
        Id = id,
        Caller = "13800000003",
        Dialed = "95500",
        Agent = agent,
        StartedAt = at,
        EndedAt = at.AddMinutes(1),
        Disposition = "agent-hung-up",
        WrapUpCode = code,
    };

    internal static CallPop Pop(string callId, string agent) => new(
        callId, agent, "13800000003", "95500", DateTimeOffset.UnixEpoch, "王芳", "Gold", "6222********1234", "1004", "孙丽", "zh", "上海分公司", "general", 12,
        [new PopIvrStep("95500.menu", "1"), new PopIvrStep("95500.pin", "******")],
        [new PopInteraction("old", DateTimeOffset.UnixEpoch, "1002", "agent-hung-up", "resolved", null, 60)]);

    internal static ChannelReader<T> Inbox<T>(HubConnection connection, string method)
    {
        var inbox = Channel.CreateUnbounded<T>();
        connection.On<T>(method, m => inbox.Writer.TryWrite(m));
        return inbox.Reader;
    }
}
