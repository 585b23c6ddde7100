namespace CallCenter.FaxSms.Email.Inbound;

/// <summary>
/// Which waiting e-mail task goes to which agent (pure), as the ACD orders calls: the most valuable tier
/// first (Diamond, Platinum, Gold, Quality, Effective, Dormant, then unknown senders), then the oldest. An
/// agent may hold one e-mail task at a time and must have the <c>email</c> skill; the client's account
/// manager is preferred when free, otherwise the free agent whose last e-mail task ended longest ago.
/// </summary>
public static class EmailTaskRouting
{
    public const string Skill = "email";

    private static readonly string[] _tiers = ["Diamond", "Platinum", "Gold", "Quality", "Effective", "Dormant"];

    /// <summary>The rank a tier sorts by: 0 for Diamond; unknown senders last.</summary>
    public static int TierRank(string? tier)
    {
        var index = tier is null ? -1 : Array.IndexOf(_tiers, tier);
        return index < 0 ? _tiers.Length : index;
    }

    public static bool HasSkill(string skills) =>
        skills.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Contains(Skill, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<(string TaskId, string Agent)> Assign(IEnumerable<WaitingTask> waiting, IEnumerable<EmailAgent> agents)
    {
        var free = agents.Where(a => HasSkill(a.Skills) && !a.Busy)
            .OrderBy(a => a.LastTaskEndedAt ?? DateTimeOffset.MinValue)
            .ThenBy(a => a.Extension, StringComparer.Ordinal)
            .ToList();
        var offers = new List<(string, string)>();
        foreach (var task in waiting.OrderBy(t => t.TierRank).ThenBy(t => t.ReceivedAt).ThenBy(t => t.Id, StringComparer.Ordinal))
        {
            if (free.Count == 0)
            {
                break;
            }

            var agent = free.FirstOrDefault(a => a.Extension == task.ManagerExtension) ?? free[0];
            free.Remove(agent);
            offers.Add((task.Id, agent.Extension));
        }

        return offers;
    }
}

/// <summary>A task waiting for an agent.</summary>
public sealed record WaitingTask(string Id, int TierRank, DateTimeOffset ReceivedAt, string? ManagerExtension);

/// <summary>An agent as e-mail routing sees it: skills, whether an e-mail task is already theirs, when the last one ended.</summary>
public sealed record EmailAgent(string Extension, string Skills, bool Busy, DateTimeOffset? LastTaskEndedAt);
