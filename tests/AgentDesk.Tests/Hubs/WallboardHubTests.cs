using CallCenter.AgentDesk.Hubs;
using CallCenter.Contracts.Agents;
using CallCenter.Contracts.Queues;
using CallCenter.Data.Desk;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CallCenter.AgentDesk.Tests.Hubs;

/// <summary>The wallboard hub: a view each second of the platform's clock, agent changes as they come, audited actions.</summary>
public sealed class WallboardHubTests
{
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(10);
    private HubHost _host = null!;

    [SetUp]
    public async Task StartAsync() => _host = await HubHost.StartAsync();

    [TearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public async Task AWallboardReceivesAViewEachSecondWithTheQueueCountsAndTodaysFigures()
    {
        _host.Queues.Set(new QueueView("general", 2, new Dictionary<string, int> { ["Gold"] = 1, ["ordinary"] = 1 }, 31.5, 1));
        _host.Agents.Set("1001", "onCall", "c1");
        _host.Agents.Set("1002", "available");
        _host.Events.Offered(AgentHubTests.Pop("c1", "1001"));
        await using var board = await _host.ConnectAsync("/hubs/wallboard", "super");
        var views = AgentHubTests.Inbox<WallboardView>(board, "wallboard");

        _host.Time.Advance(TimeSpan.FromSeconds(1));
        var first = await views.ReadAsync().AsTask().WaitAsync(_wait);
        _host.Queues.Set(new QueueView("general", 3, new Dictionary<string, int> { ["Gold"] = 2, ["ordinary"] = 1 }, 32.5, 0));
        _host.Time.Advance(TimeSpan.FromSeconds(1));
        var second = await views.ReadAsync().AsTask().WaitAsync(_wait);
        _host.Time.Advance(TimeSpan.FromSeconds(1));
        var third = await views.ReadAsync().AsTask().WaitAsync(_wait);

        var queue = first.Queues.Single();
        Assert.That((queue.Id, queue.Waiting, queue.WaitingByTier["Gold"], queue.LongestWaitSeconds), Is.EqualTo(("general", 2, 1, 31.5)));
        Assert.That((queue.Offered, queue.Answered, queue.Abandoned, queue.ServiceLevel), Is.EqualTo((10, 8, 2, (double?)0.75)));
        Assert.That(second.Queues.Single().Waiting, Is.EqualTo(3));
        Assert.That(second.Queues.Single().WaitingByTier["Gold"], Is.EqualTo(2));
        Assert.That(second.At - first.At, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(third.At - second.At, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(first.AgentsByState["onCall"], Is.EqualTo(1));
        Assert.That(first.AgentsByState["break"], Is.EqualTo(0));
        var agent = first.Agents.Single(a => a.Id == "1001");
        Assert.That((agent.Name, agent.CallId, agent.Caller), Is.EqualTo(("赵敏", "c1", "13800000003")));
        Assert.That(first.Intervals.Single().Offered, Is.EqualTo(10));
        Assert.That(first.VipLineTurnedAway, Is.EqualTo(3), "today's callers turned away from the VIP line");
        Assert.That(((FakeMetrics)_host.App.Services.GetRequiredService<CallCenter.Contracts.Metrics.IMetricsReports>()).Computed, Is.EqualTo(1),
            "three views in three seconds computed the metrics once");
    }

    [Test]
    public async Task NoViewIsBuiltWhileNoWallboardIsConnected()
    {
        var metrics = (FakeMetrics)_host.App.Services.GetRequiredService<CallCenter.Contracts.Metrics.IMetricsReports>();

        for (var i = 0; i < 3; i++)
        {
            _host.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(50);
        }

        Assert.That(metrics.Computed, Is.Zero);
    }

    [Test]
    public async Task AgentChangesReachTheWallboardAsTheyHappen()
    {
        await using var board = await _host.ConnectAsync("/hubs/wallboard", "admin");
        var states = AgentHubTests.Inbox<AgentSnapshot>(board, "agentState");

        _host.Events.AgentChanged(new AgentSnapshot("1002", "break", true, DateTimeOffset.UnixEpoch, "lunch", null));

        Assert.That((await states.ReadAsync().AsTask().WaitAsync(_wait)).Id, Is.EqualTo("1002"));
    }

    [Test]
    public async Task ASupervisorsStateChangeIsDoneAndAuditedAndARefusedOneToo()
    {
        _host.Agents.Set("1002", "available");
        await using var board = await _host.ConnectAsync("/hubs/wallboard", "super");

        var done = await board.InvokeAsync<HubResult>("setAgentState", "1002", "break", "meeting");
        var unknown = Assert.ThrowsAsync<HubException>(() => board.InvokeAsync<HubResult>("setAgentState", "1999", "available", null));

        Assert.That(done.Ok, Is.True);
        Assert.That(unknown!.Message, Does.Contain("没有这个坐席").And.Contain("no such agent"));
        Assert.That(_host.Agents.Requests, Does.Contain("1002 break meeting"));
        var audit = await new AuditRepository(_host.Factory).ListAsync(10);
        Assert.That(audit.Select(e => (e.Actor, e.Role, e.Action, e.Target, e.Outcome)), Is.EqualTo(new[]
        {
            ("super", "supervisor", "set-agent-state", "1999", AuditEntry.Refused),
            ("super", "supervisor", "set-agent-state", "1002", AuditEntry.Done),
        }));
    }

    [Test]
    public async Task ASupervisorsPickGoesToTheQueuesAndARefusedOneSaysWhyAllAudited()
    {
        _host.Agents.Set("1001", "available");
        _host.Agents.Set("1002", "onCall", "c9");
        await using var board = await _host.ConnectAsync("/hubs/wallboard", "super");

        var done = await board.InvokeAsync<HubResult>("pickCaller", "c1", "1001");
        _host.Queues.NextPick = new QueuePickResult(QueuePickError.AgentNotAvailable, "agent 1002 is not available");
        var busy = Assert.ThrowsAsync<HubException>(() => board.InvokeAsync<HubResult>("pickCaller", "c1", "1002"));
        _host.Queues.NextPick = new QueuePickResult(QueuePickError.CallNotWaiting, "call c2 is no longer waiting");
        var gone = Assert.ThrowsAsync<HubException>(() => board.InvokeAsync<HubResult>("pickCaller", "c2", "1001"));
        _host.Queues.NextPick = new QueuePickResult(QueuePickError.Unavailable, "the cluster's shared store (PostgreSQL) is not answering");
        var down = Assert.ThrowsAsync<HubException>(() => board.InvokeAsync<HubResult>("pickCaller", "c3", "1001"));
        var unknown = Assert.ThrowsAsync<HubException>(() => board.InvokeAsync<HubResult>("pickCaller", "c1", "1999"));
        var blank = Assert.ThrowsAsync<HubException>(() => board.InvokeAsync<HubResult>("pickCaller", "c1", " "));

        Assert.That(done.Ok, Is.True);
        Assert.That(done.Message, Does.Contain("rung"));
        Assert.That(busy!.Message, Does.Contain("该坐席现在不能接听").And.Contain("agent 1002 is not available"));
        Assert.That(gone!.Message, Does.Contain("已不在排队").And.Contain("no longer waiting"));
        Assert.That(down!.Message, Does.Contain("请稍后再试").And.Contain("not answering"));
        Assert.That(unknown!.Message, Does.Contain("There is no agent 1999"));
        Assert.That(blank!.Message, Does.Contain("Choose a waiting caller and an agent"));
        Assert.That(_host.Queues.Picked, Is.EqualTo(new[] { "c1 1001 super", "c1 1002 super", "c2 1001 super", "c3 1001 super" }), "unknown or blank agents never reach the queues");
        var audit = await new AuditRepository(_host.Factory).ListAsync(10);
        Assert.That(audit.Select(e => (e.Action, e.Target, e.Outcome)), Is.EqualTo(new[]
        {
            ("pick-caller", "c1", AuditEntry.Refused),
            ("pick-caller", "c1", AuditEntry.Refused),
            ("pick-caller", "c3", AuditEntry.Refused),
            ("pick-caller", "c2", AuditEntry.Refused),
            ("pick-caller", "c1", AuditEntry.Refused),
            ("pick-caller", "c1", AuditEntry.Done),
        }));
    }

    [Test]
    public async Task MonitoringACallTheHostRefusesIsRefusedWithItsReasonAndAudited()
    {
        await using var board = await _host.ConnectAsync("/hubs/wallboard", "super");

        var listen = Assert.ThrowsAsync<HubException>(() => board.InvokeAsync<HubResult>("monitor", "c1", "listen"));
        var badMode = Assert.ThrowsAsync<HubException>(() => board.InvokeAsync<HubResult>("monitor", "c1", "shout"));

        Assert.That(listen!.Message, Does.Contain("There is no such call"));
        Assert.That(badMode!.Message, Does.Contain("listen, whisper or barge"));
        var audit = await new AuditRepository(_host.Factory).ListAsync(10);
        Assert.That(audit.Select(e => e.Outcome), Is.EqualTo(new[] { AuditEntry.Refused, AuditEntry.Refused }));
    }

    [Test]
    public async Task SnapshotAnswersWithTheViewNow()
    {
        _host.Queues.Set(new QueueView("vip", 1, new Dictionary<string, int> { ["Diamond"] = 1 }, 5, 0));
        await using var board = await _host.ConnectAsync("/hubs/wallboard", "super");

        var view = await board.InvokeAsync<WallboardView>("snapshot");

        Assert.That(view.Queues.Single().Id, Is.EqualTo("vip"));
        Assert.That(view.At, Is.EqualTo(_host.Time.GetUtcNow()));
    }
}
