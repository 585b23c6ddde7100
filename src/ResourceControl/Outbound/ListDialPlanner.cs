using CallCenter.Data.CallLists;

namespace CallCenter.ResourceControl.Outbound;

/// <summary>An entry offered to an agent at preview, with the list it is on.</summary>
internal sealed record PreviewCandidate(CallListEntryRow Entry, CallListRow List);

/// <summary>
/// The dialling modes' decisions, pure: which entry an agent previews next, whether an agent may take a
/// list's calls, when a held preview goes back to its list, and a skip's reason.
/// </summary>
internal static class ListDialPlanner
{
    public const int MaxSkipReason = 200;

    /// <summary>
    /// The agent with <paramref name="agentSkills"/> may take a list's calls when they have every skill its
    /// queue asks for (<paramref name="queueSkills"/>), as the ACD would route a caller of that queue.
    /// </summary>
    public static bool Serves(IReadOnlyCollection<string> agentSkills, IReadOnlyCollection<string> queueSkills)
    {
        ArgumentNullException.ThrowIfNull(agentSkills);
        ArgumentNullException.ThrowIfNull(queueSkills);
        return queueSkills.All(s => agentSkills.Contains(s, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Progressive dialling: how many of a queue's list entries go to the ACD now. One per free agent
    /// serving the queue, less every call already waiting there (inbound callers, callbacks, list entries
    /// released before): the ACD rings an agent first and the client once the agent answers, so no more
    /// clients are ever called than there are agents to take them, and an answered client never waits.
    /// </summary>
    public static int ProgressiveRoom(int freeAgents, int waiting, int limit) => Math.Clamp(freeAgents - waiting, 0, limit);

    /// <summary>
    /// The entries an agent may preview now, best first: open entries of preview lists
    /// whose queue the agent serves (<paramref name="serves"/>), whose retry or skip pause is over; a risk
    /// notice first, then the nearest deadline, then fewest attempts, then the oldest. The caller takes the
    /// first it can hold (another agent may hold one first).
    /// </summary>
    public static IReadOnlyList<PreviewCandidate> PreviewOrder(
        IEnumerable<CallListEntryRow> entries, IReadOnlyCollection<CallListRow> lists, Func<string, bool> serves, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(lists);
        ArgumentNullException.ThrowIfNull(serves);
        var previewLists = PreviewLists(lists, serves).ToDictionary(l => l.Id, StringComparer.Ordinal);
        return [.. entries
            .Where(e => e.Status == CallListStatuses.Open && (e.NextAttemptAt is null || e.NextAttemptAt <= now) && previewLists.ContainsKey(e.ListId))
            .Select(e => new PreviewCandidate(e, previewLists[e.ListId]))
            .OrderBy(c => c.List.Kind == CallListKinds.RiskNotice ? 0 : 1)
            .ThenBy(c => c.Entry.DueBy)
            .ThenBy(c => c.Entry.Attempts)
            .ThenBy(c => c.Entry.CreatedAt)
            .ThenBy(c => c.Entry.Id, StringComparer.Ordinal)];
    }

    /// <summary>The preview lists whose queue the agent serves (<paramref name="serves"/>): where their next entry may come from.</summary>
    public static IEnumerable<CallListRow> PreviewLists(IEnumerable<CallListRow> lists, Func<string, bool> serves) =>
        lists.Where(l => l.Mode == CallListModes.Preview && serves(l.Queue));

    /// <summary>
    /// A held preview goes back to its list when its agent is gone (<paramref name="agentPresent"/> false:
    /// signed out, phone unregistered) or let it lie longer than <paramref name="previewSeconds"/>.
    /// </summary>
    public static bool GiveBack(CallListEntryRow entry, bool agentPresent, DateTimeOffset now, int previewSeconds)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Status != CallListStatuses.Previewing)
        {
            return false;
        }

        return !agentPresent || entry.PreviewAt is null || entry.PreviewAt.Value.AddSeconds(previewSeconds) <= now;
    }

    /// <summary>A skip's reason, trimmed; the refusal when there is none or it is too long.</summary>
    public static (string? Reason, string? Refusal) SkipReason(string? reason)
    {
        var trimmed = reason?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return (null, "a skip needs a reason (\"client abroad until Monday\", \"wrong list\")");
        }

        return trimmed.Length > MaxSkipReason ? (null, $"the reason is longer than {MaxSkipReason} characters") : (trimmed, null);
    }
}
