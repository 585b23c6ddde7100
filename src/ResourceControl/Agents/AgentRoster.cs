namespace CallCenter.ResourceControl.Agents;

/// <summary>
/// Every agent's presence, keyed by SIP extension: applies events through <see cref="AgentStateMachine"/> and
/// answers the router's question "who is available, since when, with how many calls today".
/// </summary>
/// <remarks>
/// No I/O and no clock of its own (the caller hands in the time); a lock makes each event atomic, since SIP,
/// the desk hubs and timers all report to it. Keeping it this small leaves room to put the same contract over
/// shared storage when the platform runs on several nodes (design.md section 1).
/// </remarks>
internal sealed class AgentRoster(AgentStateMachine machine)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, AgentState> _agents = new(StringComparer.Ordinal);

    public AgentStateMachine Machine { get; } = machine;

    /// <summary>Adds an agent (offline, phone not registered) unless the extension is already known; true when added.</summary>
    public bool Add(string extension, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(extension);
        lock (_gate)
        {
            return _agents.TryAdd(extension, AgentState.Initial(extension, now));
        }
    }

    /// <summary>Removes an offline agent (deleted from the catalog); an agent in any other state stays. True when removed.</summary>
    public bool Remove(string extension)
    {
        lock (_gate)
        {
            return _agents.TryGetValue(extension, out var state) && state.Status == AgentStatus.Offline && _agents.Remove(extension);
        }
    }

    public AgentState? Find(string extension)
    {
        lock (_gate)
        {
            return _agents.GetValueOrDefault(extension);
        }
    }

    /// <summary>Every agent's state, by extension.</summary>
    public IReadOnlyList<AgentState> All()
    {
        lock (_gate)
        {
            return [.. _agents.Values.OrderBy(a => a.Extension, StringComparer.Ordinal)];
        }
    }

    /// <summary>Applies <paramref name="e"/> to the agent; an unknown extension is refused, not thrown.</summary>
    public AgentTransition Apply(string extension, AgentEvent e, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_agents.TryGetValue(extension, out var state))
            {
                return AgentTransition.Refuse(AgentState.Initial(extension, now), $"there is no agent with extension {extension}");
            }

            var transition = Machine.Handle(state, e, now);
            _agents[extension] = transition.State;
            return transition;
        }
    }

    /// <summary>The agents the router may offer a call (available, no e-mail task), longest idle first (then by extension, so the order is stable).</summary>
    public IReadOnlyList<AvailableAgent> Available(DateTimeOffset now)
    {
        lock (_gate)
        {
            return
            [
                .. _agents.Values
                    .Where(a => a.Routable)
                    .OrderBy(a => a.Since)
                    .ThenBy(a => a.Extension, StringComparer.Ordinal)
                    .Select(a => new AvailableAgent(a.Extension, a.Since, a.CallsOn(now))),
            ];
        }
    }
}
