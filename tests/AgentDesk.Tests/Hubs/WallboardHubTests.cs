using System.Net;
using CallCenter.AgentDesk.Hubs;
using CallCenter.Contracts.Agents;
using CallCenter.Contracts.Calls;
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
    public async Task ASupervisorBooksACallbackForAnAgentOrAQueueAndARefusedOneSaysWhyAllAudited()
    {
        await using var board = await _host.ConnectAsync("/hubs/wallboard", "super");
        var callbacks = _host.SupervisorCallbacks;
        var at = "2026-12-07T09:30:00+08:00";

        var booked = await board.InvokeAsync<DeskCallback>("bookCallback", " 139 0000 0051 ", at, "vip", "1002");
        var forQueue = await board.InvokeAsync<DeskCallback>("bookCallback", "13900000052", at, " ", null);
        callbacks.NextBooking = new DeskCallbackResult(400, "13900000099 is on the do-not-call list (asked not to be called)");
        var doNotCall = Assert.ThrowsAsync<HubException>(() => board.InvokeAsync<DeskCallback>("bookCallback", "13900000099", at, "general", null));
        callbacks.NextBooking = new DeskCallbackResult(409, "no trunk is configured (Trunks:0:Address), so the platform cannot call anyone back");
        var noTrunk = Assert.ThrowsAsync<HubException>(() => board.InvokeAsync<DeskCallback>("bookCallback", "13900000053", at, "general", null));
        callbacks.NextBooking = new DeskCallbackResult(409, "agent 1002 already owns 50 pending callbacks (Callbacks:MaxPendingPerAgent is 50): cancel one or wait until some are called");
        var capped = Assert.ThrowsAsync<HubException>(() => board.InvokeAsync<DeskCallback>("bookCallback", "13900000054", at, "general", "1002"));
        var blank = Assert.ThrowsAsync<HubException>(() => board.InvokeAsync<DeskCallback>("bookCallback", " ", at, "general", null));
        var longOwner = Assert.ThrowsAsync<HubException>(() => board.InvokeAsync<DeskCallback>("bookCallback", "13900000055", at, "general", new string('1', 65)));

        Assert.That((booked.Id, booked.Number, booked.Queue), Is.EqualTo(("cb-1", "13900000051", "vip")));
        Assert.That(forQueue.Queue, Is.EqualTo("general"));
        Assert.That(doNotCall!.Message, Does.Contain("回电预约被拒绝").And.Contain("do-not-call list (asked not to be called)"));
        Assert.That(noTrunk!.Message, Does.Contain("no trunk is configured"));
        Assert.That(capped!.Message, Does.Contain("Callbacks:MaxPendingPerAgent"));
        Assert.That(blank!.Message, Does.Contain("Give the number"));
        Assert.That(longOwner!.Message, Does.Contain("too long"));
        Assert.That(callbacks.Asked, Is.EqualTo(new[]
        {
            $"book super 139 0000 0051 {at} vip 1002",
            $"book super 13900000052 {at} - -",
            $"book super 13900000099 {at} general -",
            $"book super 13900000053 {at} general -",
            $"book super 13900000054 {at} general 1002",
        }), "booked as the supervisor, the owner and queue as given (blank: none); a blank number or an overlong owner never reaches the host");
        var audit = await new AuditRepository(_host.Factory).ListAsync(10);
        Assert.That(audit.Select(e => (e.Actor, e.Role, e.Action, e.Target, e.Outcome)), Is.EqualTo(new[]
        {
            ("super", "supervisor", "book-callback", (string?)"13900000055", AuditEntry.Refused),
            ("super", "supervisor", "book-callback", null, AuditEntry.Refused),
            ("super", "supervisor", "book-callback", "13900000054", AuditEntry.Refused),
            ("super", "supervisor", "book-callback", "13900000053", AuditEntry.Refused),
            ("super", "supervisor", "book-callback", "13900000099", AuditEntry.Refused),
            ("super", "supervisor", "book-callback", "13900000052", AuditEntry.Done),
            ("super", "supervisor", "book-callback", "13900000051", AuditEntry.Done),
        }));
        Assert.That(audit[^1].Detail, Does.Contain("in vip for agent 1002").And.Contain("cb-1"));
        Assert.That(audit[2].Detail, Does.Contain("MaxPendingPerAgent"));
    }

    [Test]
    public async Task AnAdminCancelsAWaitingCallbackAndARefusedCancelSaysWhyBothAuditedAndTheWaitingOnesAreListed()
    {
        _host.SupervisorCallbacks.Waiting =
        [
            new WaitingCallback("cb-7", "139****0051", "vip", DateTimeOffset.UnixEpoch, null, "scheduled", 0, "1002", "wallboard", "super", DateTimeOffset.UnixEpoch),
            new WaitingCallback("cb-8", "139****0052", "general", null, null, "queued", 1, null, "queue-key", "13900000052", DateTimeOffset.UnixEpoch),
        ];
        await using var board = await _host.ConnectAsync("/hubs/wallboard", "admin");

        var waiting = await board.InvokeAsync<IReadOnlyList<WaitingCallback>>("waitingCallbacks");
        var cancelled = await board.InvokeAsync<DeskCallback>("cancelCallback", "cb-7");
        _host.SupervisorCallbacks.NextCancel = new DeskCallbackResult(409, "callback cb-8 is being dialled now: it cannot be cancelled mid-call (hang the call up instead)");
        var dialling = Assert.ThrowsAsync<HubException>(() => board.InvokeAsync<DeskCallback>("cancelCallback", "cb-8"));

        Assert.That(waiting.Select(w => (w.Id, w.MaskedNumber, w.Owner)), Is.EqualTo(new[] { ("cb-7", "139****0051", (string?)"1002"), ("cb-8", "139****0052", null) }));
        Assert.That((cancelled.Id, cancelled.Status), Is.EqualTo(("cb-7", "cancelled")));
        Assert.That(dialling!.Message, Does.Contain("回电未能取消").And.Contain("being dialled now"));
        Assert.That(_host.SupervisorCallbacks.Asked, Is.EqualTo(new[] { $"waiting {WallboardHub.MaxWaitingCallbacksListed}", "cancel admin cb-7", "cancel admin cb-8" }));
        var audit = await new AuditRepository(_host.Factory).ListAsync(10);
        Assert.That(audit.Select(e => (e.Actor, e.Role, e.Action, e.Target, e.Outcome)), Is.EqualTo(new[]
        {
            ("admin", "admin", "cancel-callback", "cb-8", AuditEntry.Refused),
            ("admin", "admin", "cancel-callback", "cb-7", AuditEntry.Done),
        }));
    }

    [Test]
    public async Task AnAgentsConnectionToTheWallboardHubIsRefusedSoTheyCannotBookCancelOrListCallbacksThere()
    {
        // The hub's policy refuses the connection itself (403 at negotiation): no method of it can be invoked by an agent.
        var cookie = await _host.SignInAsync("1001");
        await using var agent = _host.Connection("/hubs/wallboard", cookie);

        var refused = Assert.ThrowsAsync<HttpRequestException>(() => agent.StartAsync());

        Assert.That(refused!.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task TheReceivedFaxesToHandleAreInTheViewAndMoveWithTheFiguresAndAFailedReadKeepsTheLastCount()
    {
        var since = _host.Time.GetUtcNow().AddMinutes(-42);
        _host.FaxTasks.Now = new CallCenter.Contracts.Desk.FaxTaskCount(2, since);
        await using var board = await _host.ConnectAsync("/hubs/wallboard", "super");
        var views = AgentHubTests.Inbox<WallboardView>(board, "wallboard");
        var first = await board.InvokeAsync<WallboardView>("snapshot");

        // A fax comes in: the next reading of the figures (every 5 s) carries it to the pushed view.
        _host.FaxTasks.Now = new CallCenter.Contracts.Desk.FaxTaskCount(3, since);
        var arrived = await NextViewAsync(views, v => v.FaxTasks?.New == 3);

        // Two are handled; then the database fails: the last count stays, and the log says so.
        _host.FaxTasks.Now = new CallCenter.Contracts.Desk.FaxTaskCount(1, since.AddMinutes(30));
        var handled = await NextViewAsync(views, v => v.FaxTasks?.New == 1);
        var reads = _host.FaxTasks.Reads;
        _host.FaxTasks.Fail = new TimeoutException("the database is away");
        await NextViewAsync(views, _ => _host.FaxTasks.Reads > reads + 1);
        var kept = await NextViewAsync(views, _ => true);

        Assert.That(first.FaxTasks, Is.EqualTo(new CallCenter.Contracts.Desk.FaxTaskCount(2, since)));
        Assert.That(arrived.FaxTasks!.OldestAt, Is.EqualTo(since));
        Assert.That(handled.FaxTasks!.OldestAt, Is.EqualTo(since.AddMinutes(30)), "the oldest still to handle");
        Assert.That(kept.FaxTasks, Is.EqualTo(new CallCenter.Contracts.Desk.FaxTaskCount(1, since.AddMinutes(30))));
        Assert.That(_host.Log, Has.Some.Contains("received faxes to handle could not be read"));
    }

    /// <summary>
    /// Moves the clock a second at a time until a pushed view matches (the figures are read every 5 s of that clock, in
    /// the background, which takes real time: a short pause between seconds lets it finish on a busy machine).
    /// </summary>
    private async Task<WallboardView> NextViewAsync(System.Threading.Channels.ChannelReader<WallboardView> views, Func<WallboardView, bool> match)
    {
        var until = DateTime.UtcNow + _wait;
        while (DateTime.UtcNow < until)
        {
            _host.Time.Advance(TimeSpan.FromSeconds(1));
            var view = await views.ReadAsync().AsTask().WaitAsync(_wait);
            if (match(view))
            {
                return view;
            }

            await Task.Delay(20);
        }

        throw new AssertionException($"no such view within {_wait.TotalSeconds} s");
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
