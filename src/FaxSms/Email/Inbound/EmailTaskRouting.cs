namespace CallCenter.FaxSms.Email.Inbound;

/// <summary>
/// Which waiting e-mail task goes to which agent, and which offer is taken back (pure), as the ACD treats
/// calls. Order: the most valuable tier first (Diamond, Platinum, Gold, Quality, Effective, Dormant, the securities
/// cards among them by their routing weights, then unknown senders), then the oldest. Only an agent whose presence is <c>available</c>, with the
/// <c>email</c> skill and no e-mail task of their own, is offered one; the client's account manager is
/// preferred when free, otherwise the free agent whose last e-mail task ended longest ago. An agent who
/// just passed on a task (declined it, let it time out, went away with it) is not offered that task again
/// for <c>hold</c>, while others may be; after that they may be, so a task never waits on one agent's "no".
/// </summary>
public static class EmailTaskRouting
{
    public const string Skill = "email";

    /// <summary>The presence state (as <c>GET /api/agents</c> names it) in which an agent may be offered a task.</summary>
    public const string Available = "available";

    // Ranks follow the shipped routing weights, the futures grades and the securities cards on one scale
    // (Diamond and PlatinumCard 600, Platinum and GoldCard 400, Gold 240, SilverCard 120, Quality 60, the rest
    // 0). The futures grades keep the ranks they always had: a task's rank is stored when it arrives.
    private static readonly Dictionary<string, int> _ranks = new(StringComparer.Ordinal)
    {
        ["Diamond"] = 0,
        ["PlatinumCard"] = 0,
        ["Platinum"] = 1,
        ["GoldCard"] = 1,
        ["Gold"] = 2,
        ["SilverCard"] = 3,
        ["Quality"] = 3,
        ["Effective"] = 4,
        ["Ordinary"] = 4,
        ["Dormant"] = 5,
    };

    private const int UnknownRank = 6;

    /// <summary>The rank a tier sorts by: 0 for Diamond (and PlatinumCard); unknown senders last.</summary>
    public static int TierRank(string? tier) =>
        tier is not null && _ranks.TryGetValue(tier, out var rank) ? rank : UnknownRank;

    public static bool HasSkill(string skills) =>
        skills.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Contains(Skill, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<(string TaskId, string Agent)> Assign(IEnumerable<WaitingTask> waiting, IEnumerable<EmailAgent> agents, DateTimeOffset now, TimeSpan hold)
    {
        var free = agents.Where(a => HasSkill(a.Skills) && !a.Busy && a.Available)
            .OrderBy(a => a.LastTaskEndedAt ?? DateTimeOffset.MinValue)
            .ThenBy(a => a.Extension, StringComparer.Ordinal)
            .ToList();
        var offers = new List<(string, string)>();
        foreach (var task in waiting.OrderBy(t => t.TierRank).ThenBy(t => t.ReceivedAt).ThenBy(t => t.Id, StringComparer.Ordinal))
        {
            var passedBy = task.PassedBy is not null && task.PassedAt is { } at && now - at < hold ? task.PassedBy : null;
            var candidates = free.Where(a => a.Extension != passedBy).ToList();
            if (candidates.Count == 0)
            {
                continue;
            }

            var agent = candidates.FirstOrDefault(a => a.Extension == task.ManagerExtension) ?? candidates[0];
            free.Remove(agent);
            offers.Add((task.Id, agent.Extension));
        }

        return offers;
    }

    /// <summary>
    /// The offers to take back, each with its reason: an offer not yet accepted when its agent is not
    /// available or has not accepted it within <paramref name="acceptWithin"/> (an agent busy on a call
    /// has that long too); an accepted task when its agent is <c>offline</c> or no longer known (on a
    /// break they keep what they were writing). <paramref name="states"/> holds each agent's presence;
    /// an agent missing from it (not on this platform's roster) counts as offline.
    /// </summary>
    public static IReadOnlyList<Withdrawal> Withdraw(IEnumerable<OfferedTask> offered, IReadOnlyDictionary<string, string> states, DateTimeOffset now, TimeSpan acceptWithin)
    {
        var withdrawals = new List<Withdrawal>();
        foreach (var task in offered)
        {
            var state = states.GetValueOrDefault(task.Agent, "offline");
            string? reason;
            if (task.AcceptedAt is not null)
            {
                reason = state == "offline" ? $"agent {task.Agent} went offline" : null;
            }
            else if (state is "offline" or "break")
            {
                reason = $"agent {task.Agent} went away ({state}) before accepting";
            }
            else
            {
                reason = now - task.OfferedAt >= acceptWithin ? $"agent {task.Agent} did not accept within {acceptWithin.TotalSeconds:0} s" : null;
            }

            if (reason is not null)
            {
                withdrawals.Add(new Withdrawal(task.Id, task.Agent, reason));
            }
        }

        return withdrawals;
    }
}

/// <summary>A task waiting for an agent; <paramref name="PassedBy"/> is the last agent who passed on it, and when.</summary>
public sealed record WaitingTask(string Id, int TierRank, DateTimeOffset ReceivedAt, string? ManagerExtension, string? PassedBy = null, DateTimeOffset? PassedAt = null);

/// <summary>
/// An agent as e-mail routing sees it: skills, whether an e-mail task is already theirs, when the last one
/// ended, and whether their presence is <c>available</c>.
/// </summary>
public sealed record EmailAgent(string Extension, string Skills, bool Busy, DateTimeOffset? LastTaskEndedAt, bool Available = true);

/// <summary>A task offered to an agent: when, and when they accepted it (null while not accepted).</summary>
public sealed record OfferedTask(string Id, string Agent, DateTimeOffset OfferedAt, DateTimeOffset? AcceptedAt);

/// <summary>An offer taken back: the task waits again and is offered to someone else.</summary>
public sealed record Withdrawal(string TaskId, string Agent, string Reason);
