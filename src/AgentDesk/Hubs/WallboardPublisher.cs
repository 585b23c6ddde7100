using System.Data.Common;
using CallCenter.Contracts.Agents;
using CallCenter.Contracts.Desk;
using CallCenter.Contracts.Metrics;
using CallCenter.Contracts.Queues;
using CallCenter.Data;
using CallCenter.Data.Catalog;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CallCenter.AgentDesk.Hubs;

/// <summary>
/// Sends the wallboard group a <see cref="WallboardView"/> once a second while anyone watches. Queues
/// and agents are read fresh each second (they are in memory); today's figures come from
/// <see cref="IMetricsReports.ComputeLiveAsync"/> (ended calls and the calls still open, so offered and answered move
/// as calls are queued and answered), the call lists' due and overdue counts from <see cref="ICallListDeadlines"/> and
/// the received faxes still to handle from <see cref="IFaxTaskCounts"/> (the callbacks owed per queue,
/// <see cref="ICallbackCounts"/>, are in memory and read each second too); these read the database, so they are recomputed at most every <see cref="MetricsEvery"/> in the background and the
/// last figures are shown meanwhile. In a cluster the node also shares its own view every second (whether anyone
/// watches here or not) and shows the view of all nodes (<see cref="IWallboardPeers"/>, <see cref="WallboardMerge"/>).
/// </summary>
internal sealed class WallboardPublisher(
    IQueueStates queues,
    IAgentStates agents,
    IMetricsReports metrics,
    CatalogRepository catalog,
    StoreIdentity store,
    DeskEvents events,
    WallboardAudience audience,
    ListAlertBoard escalations,
    IWallboardPeers peers,
    ICallListDeadlines deadlines,
    IEnumerable<ICallbackCounts> callbacks,
    IEnumerable<IFaxTaskCounts> faxTasks,
    IHubContext<WallboardHub, IWallboardClient> hub,
    TimeProvider time,
    ILogger<WallboardPublisher> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MetricsEvery = TimeSpan.FromSeconds(5);

    /// <summary>The states <c>GET /api/agents</c> names, so the wallboard shows a 0 for an empty one.</summary>
    private static readonly string[] _states = ["offline", "available", "offered", "onCall", "wrapUp", "break", "email"];

    private readonly Lock _gate = new();
    private Figures? _figures;
    private DateTimeOffset _computedAt = DateTimeOffset.MinValue;
    private Task? _refreshing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var watched = audience.Connections > 0;
                if (!watched && !peers.Shares)
                {
                    continue;
                }

                try
                {
                    var local = await LocalAsync(stoppingToken);
                    await peers.ShareAsync(local, stoppingToken);
                    if (watched)
                    {
                        var view = WallboardMerge.Merge(local, await peers.OthersAsync(stoppingToken));
                        await hub.Clients.Group(peers.ViewGroup).Wallboard(view);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A browser's broken connection, or the SignalR backplane (Redis) unreachable: next second again.
                    HubLog.WallboardFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>The view now, of every node in a cluster.</summary>
    public async Task<WallboardView> CurrentAsync(CancellationToken cancellationToken) =>
        WallboardMerge.Merge(await LocalAsync(cancellationToken), await peers.OthersAsync(cancellationToken));

    /// <summary>This node's view now; waits for the figures only the first time, later ones refresh behind it.</summary>
    private async Task<WallboardView> LocalAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        Task? first = null;
        lock (_gate)
        {
            if (now - _computedAt >= MetricsEvery && _refreshing is null)
            {
                _computedAt = now;
                _refreshing = Task.Run(RefreshAsync, CancellationToken.None);
            }

            if (_figures is null)
            {
                first = _refreshing;
            }
        }

        if (first is not null)
        {
            await first.WaitAsync(cancellationToken);
        }

        Figures? figures;
        lock (_gate)
        {
            figures = _figures;
        }

        return Build(now, figures);
    }

    private async Task RefreshAsync()
    {
        try
        {
            var report = await metrics.ComputeLiveAsync(CancellationToken.None);
            var names = (await catalog.ListAgentsAsync()).ToDictionary(a => a.Extension, a => a.Name, StringComparer.Ordinal);
            var lists = await ListDeadlinesAsync();
            var faxes = await FaxTasksAsync();
            var storeName = await store.NameAsync();
            lock (_gate)
            {
                _figures = new Figures(report, names, lists ?? _figures?.Lists ?? [], storeName, faxes ?? _figures?.Faxes);
            }
        }
        catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException or NotSupportedException)
        {
            HubLog.MetricsFailed(logger, e);
            lock (_gate)
            {
                _figures ??= new Figures(null, new Dictionary<string, string>(), [], null, null);
            }
        }
        finally
        {
            lock (_gate)
            {
                _refreshing = null;
            }
        }
    }

    /// <summary>The lists' counts, or null when they cannot be read now (the last ones stay on the board).</summary>
    private async Task<IReadOnlyList<ListDeadlineCount>?> ListDeadlinesAsync()
    {
        try
        {
            return await deadlines.CountsAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException)
        {
            HubLog.ListCountsFailed(logger, e);
            return null;
        }
    }

    /// <summary>The received faxes still to handle, or null without a fax room or when they cannot be read now (the last count stays on the board).</summary>
    private async Task<FaxTaskCount?> FaxTasksAsync()
    {
        if (faxTasks.FirstOrDefault() is not { } counts)
        {
            return null;
        }

        try
        {
            return await counts.CountAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException)
        {
            HubLog.FaxTasksFailed(logger, e);
            return null;
        }
    }

    private WallboardView Build(DateTimeOffset now, Figures? figures)
    {
        var report = figures?.Report;
        var names = figures?.Names;
        var queueViews = queues.List().Select(q =>
        {
            var today = report?.ByQueue.GetValueOrDefault(q.Id);
            return new WallboardQueue(q.Id, q.Waiting, q.WaitingByTier, q.LongestWaitSeconds, q.AgentsAvailable,
                today?.Offered ?? 0, today?.Answered ?? 0, today?.Abandoned ?? 0, today?.ServiceLevel)
            { Callers = q.Callers };
        }).ToList();

        var snapshots = agents.List();
        var byState = _states.ToDictionary(s => s, _ => 0, StringComparer.Ordinal);
        foreach (var agent in snapshots)
        {
            byState[agent.State] = byState.GetValueOrDefault(agent.State) + 1;
        }

        var grid = snapshots.Select(a => new WallboardAgent(a.Id, names?.GetValueOrDefault(a.Id), a.State, a.Reason, a.Since, a.Registered, a.CallId,
            a.CallId is { } callId ? events.CallerOf(a.Id, callId) : null)).ToList();
        var intervals = report is null
            ? []
            : report.Intervals.Where(i => i.From <= now)
                .Select(i => new WallboardInterval(i.From, i.Total.Offered, i.Total.Answered, i.Total.Abandoned, i.Total.ServiceLevel)).ToList();
        return new WallboardView(now, queueViews, byState, grid, intervals) { VipLineTurnedAway = report?.VipLineTurnedAway ?? 0, ListEscalations = escalations.Recent, ListDeadlines = figures?.Lists ?? [], Store = figures?.Store, Callbacks = callbacks.FirstOrDefault()?.Counts() ?? [], FaxTasks = figures?.Faxes };
    }

    private sealed record Figures(MetricsReport? Report, IReadOnlyDictionary<string, string> Names, IReadOnlyList<ListDeadlineCount> Lists, string? Store, FaxTaskCount? Faxes);
}
