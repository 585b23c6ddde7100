namespace CallCenter.AgentDesk.Hubs;

/// <summary>
/// One wallboard view of several nodes (pure). Each node has its own queues and agents, so the figures
/// add up (call list and received fax counts once per database, <see cref="WallboardView.Store"/>): waiting callers and today's counts are summed per queue, the longest
/// wait is the longest anywhere, and service levels are weighted by the calls answered. An agent is
/// listed once, as the node that knows them best sees them: not offline, else registered, else the
/// newest state; the local node wins a tie.
/// </summary>
internal static class WallboardMerge
{
    public static WallboardView Merge(WallboardView local, IReadOnlyList<WallboardView> others)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(others);
        if (others.Count == 0)
        {
            return local;
        }

        var all = others.Prepend(local).ToList();
        var queues = all.SelectMany(v => v.Queues).GroupBy(q => q.Id, StringComparer.Ordinal)
            .Select(MergeQueue).ToList();

        var agents = all.SelectMany(v => v.Agents).GroupBy(a => a.Id, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(a => a.State != "offline").ThenByDescending(a => a.Registered).ThenByDescending(a => a.Since).First())
            .OrderBy(a => a.Id, StringComparer.Ordinal).ToList();
        var byState = local.AgentsByState.Keys.ToDictionary(s => s, _ => 0, StringComparer.Ordinal);
        foreach (var agent in agents)
        {
            byState[agent.State] = byState.GetValueOrDefault(agent.State) + 1;
        }

        var intervals = all.SelectMany(v => v.Intervals).GroupBy(i => i.Start)
            .Select(g => new WallboardInterval(g.Key, g.Sum(i => i.Offered), g.Sum(i => i.Answered), g.Sum(i => i.Abandoned),
                Weighted(g.Select(i => (i.ServiceLevel, i.Answered)))))
            .OrderBy(i => i.Start).ToList();

        var escalations = all.SelectMany(v => v.ListEscalations)
            .DistinctBy(e => (e.ListId, e.EntryId, e.EscalatedAt))
            .OrderByDescending(e => e.EscalatedAt)
            .Take(ListAlertBoard.Kept).ToList();

        // Call lists live in the database: nodes sharing one database read the same lists, counted once (the local
        // node's reading where it is one of them); nodes with databases of their own add up, a list id seen in two
        // databases being two lists of one name.
        var perStore = all.Select((v, i) => (View: v, Store: v.Store ?? "node:" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .GroupBy(x => x.Store, StringComparer.Ordinal)
            .Select(g => g.First().View);
        var deadlines = perStore.SelectMany(v => v.ListDeadlines).GroupBy(d => d.ListId, StringComparer.Ordinal)
            .Select(g => new Contracts.Desk.ListDeadlineCount(g.Key, g.First().Name, g.First().Kind, g.Sum(d => d.Open), g.Sum(d => d.Due), g.Sum(d => d.Overdue)))
            .OrderByDescending(d => d.Overdue).ThenByDescending(d => d.Due).ThenBy(d => d.ListId, StringComparer.Ordinal).ToList();

        // Each node holds the callbacks it booked or loaded: they add up per queue.
        var callbacks = all.SelectMany(v => v.Callbacks).GroupBy(c => c.Queue, StringComparer.Ordinal)
            .Select(g => new Contracts.Desk.CallbackCount(g.Key, g.Sum(c => c.DueNow), g.Sum(c => c.Later), g.Sum(c => c.Calling), g.Sum(c => c.Overdue)))
            .OrderBy(c => c.Queue, StringComparer.Ordinal).ToList();

        // Received faxes are rows in the database too: once per database, the oldest anywhere.
        // A node whose reading failed or that has no fax room carries none: another node of the same database may.
        var faxes = all.Select((v, i) => (View: v, Store: v.Store ?? "node:" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .GroupBy(x => x.Store, StringComparer.Ordinal)
            .Select(g => g.Select(x => x.View.FaxTasks).OfType<Contracts.Desk.FaxTaskCount>().FirstOrDefault())
            .OfType<Contracts.Desk.FaxTaskCount>().ToList();
        var faxTasks = faxes.Count == 0 ? null : new Contracts.Desk.FaxTaskCount(faxes.Sum(f => f.New), faxes.Min(f => f.OldestAt));

        return new WallboardView(local.At, queues, byState, agents, intervals)
        {
            Callbacks = callbacks,
            FaxTasks = faxTasks,
            VipLineTurnedAway = all.Sum(v => v.VipLineTurnedAway),
            ListEscalations = escalations,
            ListDeadlines = deadlines,
            Store = local.Store,
        };
    }

    private static WallboardQueue MergeQueue(IGrouping<string, WallboardQueue> nodes)
    {
        var byTier = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (tier, count) in nodes.SelectMany(q => q.WaitingByTier))
        {
            byTier[tier] = byTier.GetValueOrDefault(tier) + count;
        }

        return new WallboardQueue(
            nodes.Key,
            nodes.Sum(q => q.Waiting),
            byTier,
            nodes.Max(q => q.LongestWaitSeconds),
            nodes.Sum(q => q.AgentsAvailable),
            nodes.Sum(q => q.Offered),
            nodes.Sum(q => q.Answered),
            nodes.Sum(q => q.Abandoned),
            Weighted(nodes.Select(q => (q.ServiceLevel, q.Answered))))
        {
            // Longest waiting first, as each node lists its own (tiers are served in order only within a node).
            Callers = nodes.SelectMany(q => q.Callers).OrderBy(c => c.WaitingSince).ToList(),
        };
    }

    private static double? Weighted(IEnumerable<(double? Level, int Answered)> parts)
    {
        var known = parts.Where(p => p.Level is not null && p.Answered > 0).ToList();
        var answered = known.Sum(p => p.Answered);
        return answered == 0 ? null : known.Sum(p => p.Level!.Value * p.Answered) / answered;
    }
}
