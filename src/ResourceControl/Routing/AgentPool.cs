namespace CallCenter.ResourceControl.Routing;

/// <summary>The available agents who have a skill set, ordered for one strategy: the best agent is <c>Min</c>.</summary>
internal sealed class AgentPool
{
    private static readonly IComparer<RoutingAgent> _longestIdle = Comparer<RoutingAgent>.Create(static (a, b) =>
    {
        var c = a.AvailableSince!.Value.UtcTicks.CompareTo(b.AvailableSince!.Value.UtcTicks);
        return c != 0 ? c : string.CompareOrdinal(a.Extension, b.Extension);
    });

    private static readonly IComparer<RoutingAgent> _fewestCalls = Comparer<RoutingAgent>.Create(static (a, b) =>
    {
        var c = a.CallsHandledToday.CompareTo(b.CallsHandledToday);
        return c != 0 ? c : _longestIdle.Compare(a, b);
    });

    private static readonly IComparer<RoutingAgent> _byExtension = Comparer<RoutingAgent>.Create(
        static (a, b) => string.CompareOrdinal(a.Extension, b.Extension));

    public AgentPool(SkillSet skills, RoutingStrategy strategy)
    {
        Skills = skills;
        Strategy = strategy;
        Agents = new SortedSet<RoutingAgent>(strategy switch
        {
            RoutingStrategy.FewestCalls => _fewestCalls,
            RoutingStrategy.RoundRobin => _byExtension,
            _ => _longestIdle,
        });
    }

    public SkillSet Skills { get; }

    public RoutingStrategy Strategy { get; }

    public SortedSet<RoutingAgent> Agents { get; }

    /// <summary>
    /// The agents in the order the strategy would pick them, best first. Round robin starts after
    /// <paramref name="cursor"/> (the queue's last assigned extension) and wraps.
    /// </summary>
    public IEnumerable<RoutingAgent> InPickOrder(string? cursor)
    {
        if (Strategy != RoutingStrategy.RoundRobin || cursor is null || Agents.Count == 0)
        {
            return Agents;
        }

        // cursor + "\0" sorts right after cursor and before every other extension greater than it (ordinal).
        var probe = new RoutingAgent(cursor + "\0", Agents.Min!.Skills, 0);
        if (_byExtension.Compare(probe, Agents.Max!) > 0)
        {
            return Agents;
        }

        var after = Agents.GetViewBetween(probe, Agents.Max!);
        return after.Concat(Agents.TakeWhile(a => _byExtension.Compare(a, probe) < 0));
    }
}
