using CallCenter.Contracts.Agents;
using CallCenter.Data.Catalog;
using CallCenter.Data.Events;
using CallCenter.Data.Registrations;
using CallCenter.Telephony.Sip.Registrar;

namespace CallCenter.ResourceControl.Agents;

/// <summary>
/// Agents' presence in the running platform: the roster of every agent in the catalog, told when
/// their phones register or go away (the registrar's events, and at start-up the bindings kept in
/// the database), changed by supervisors through the REST API and by call progress. It carries out
/// the state machine's effects: the ring and wrap-up timers, the router's view of who is available
/// (with the agent's skills), a missed call going to the next agent (<see cref="OfferWithdrawn"/>),
/// the end of wrap-up (<see cref="WrapUpEnded"/>) and the event log.
/// </summary>
/// <remarks>
/// One lock makes each event and its effects atomic and in order. Handlers of the two events run
/// inside it, so they must not call back into this class synchronously.
/// </remarks>
internal sealed partial class AgentPresence(
    AgentRoster roster,
    SipRegistrar registrar,
    CatalogRepository catalog,
    SipBindingRepository bindings,
    Queues.AcdQueues queues,
    Records.EventLog events,
    Contracts.Desk.IDeskEvents desk,
    TimeProvider time,
    ILogger<AgentPresence> logger) : IAgentStates, Calls.IWrapUpAgents, IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Extension, AgentTimerKind Kind), ITimer> _timers = [];
    private readonly Dictionary<string, IReadOnlyCollection<string>> _skills = new(StringComparer.Ordinal);

    /// <summary>A call ringing on an agent was not taken (missed, rejected, withdrawn): (call id, extension).</summary>
    public event Action<string, string>? OfferWithdrawn;

    /// <summary>An agent's wrap-up of a call ended: (call id, extension, seconds of wrap-up).</summary>
    public event Action<string, string, double>? WrapUpEnded;

    /// <summary>
    /// An agent's state changed here (the new state and the agent's skills): a cluster node writes it to the shared agent
    /// states. Raised inside the lock, in order; a handler must not call back synchronously.
    /// </summary>
    public event Action<AgentState, IReadOnlyCollection<string>>? StateChanged;

    /// <summary>
    /// A state asked for (REST or desk) was accepted, whether or not it changed this node's view (the state and the
    /// agent's skills): a cluster node writes it as the agent's state now, since this node's view may be an old one
    /// (the agent was with another node meanwhile).
    /// </summary>
    public event Action<AgentState, IReadOnlyCollection<string>>? Requested;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Supervisors' phones register like agents' but are never routed a call: not in the roster.
        foreach (var agent in (await catalog.ListAgentsAsync(cancellationToken)).Where(a => !a.IsSupervisor))
        {
            roster.Add(agent.Extension, now);
            lock (_gate)
            {
                _skills[agent.Extension] = agent.SkillList;
            }
        }

        foreach (var extension in (await bindings.GetActiveAsync(now.ToUnixTimeMilliseconds(), cancellationToken)).Select(b => b.Aor).Distinct())
        {
            Apply(extension, new AgentEvent.PhoneRegistered());
        }

        registrar.BindingChanged += OnBindingChanged;
    }

    public void Stop() => registrar.BindingChanged -= OnBindingChanged;

    public AgentState? Find(string extension) => roster.Find(extension);

    public bool IsWrappingUp(string agent, string callId) =>
        Find(agent) is { Status: AgentStatus.WrapUp } state && state.CallId == callId;

    public void EndWrapUp(string agent, string callId)
    {
        if (IsWrappingUp(agent, callId))
        {
            Apply(agent, new AgentEvent.WrapUpDone());
        }
    }

    /// <summary>Applies an event to the agent and carries out its effects.</summary>
    public AgentTransition Apply(string extension, AgentEvent e)
    {
        lock (_gate)
        {
            var transition = roster.Apply(extension, e, time.GetUtcNow());
            if (transition.Accepted)
            {
                foreach (var effect in transition.Effects)
                {
                    Execute(extension, effect);
                }
            }

            return transition;
        }
    }

    /// <summary>
    /// The router gave this available agent a call that had gone by the time it was offered: the
    /// agent is available to the router again.
    /// </summary>
    public void ReturnToRouter(string extension)
    {
        lock (_gate)
        {
            if (roster.Find(extension) is { Routable: true } state)
            {
                queues.AgentAvailable(extension, SkillsOf(extension), state.CallsOn(time.GetUtcNow()));
            }
        }
    }

    /// <summary>
    /// In a cluster on PostgreSQL: an agent's state as the cluster knows it, given this node's view (the same view when
    /// this node holds the agent). Null on one node.
    /// </summary>
    public Func<AgentSnapshot, AgentSnapshot>? ClusterView { get; set; }

    /// <summary>
    /// In a cluster on PostgreSQL: given a state asked for here (agent, state, reason), passes it on for after the
    /// agent's call when another node holds that call, and says so; null when this node applies it. Null on one node.
    /// </summary>
    public Func<string, AgentStatus, string?, string?>? ClusterElsewhere { get; set; }

    public IReadOnlyList<AgentSnapshot> List() => ClusterView is { } view
        ? [.. roster.All().Select(ToSnapshot).Select(view)]
        : [.. roster.All().Select(ToSnapshot)];

    public AgentStateChange Request(string id, string state, string? reason)
    {
        if (roster.Find(id) is null)
        {
            return new AgentStateChange(null, AgentStateChangeError.UnknownAgent, null);
        }

        if (!AgentStatusText.TryParseRequest(state, out var target))
        {
            return new AgentStateChange(null, AgentStateChangeError.UnknownState, $"Unknown state \"{state}\": use available, break or offline.");
        }

        // In a cluster: another node holds the agent's call; this node's view of the agent is an old one, and only the
        // node holding a call changes its agent. The state is kept on the agent's shared row for after that call (the
        // holding node applies it, as a state asked for there during a call), and the answer says so.
        if (ClusterElsewhere?.Invoke(id, target, reason) is { } afterCall)
        {
            LogAfterCall(logger, id, state, afterCall);
            var shown = roster.Find(id)!;
            return new AgentStateChange(ClusterView is { } view ? view(ToSnapshot(shown)) : ToSnapshot(shown), AgentStateChangeError.None, afterCall) { AfterCall = true };
        }

        var transition = Apply(id, new AgentEvent.SupervisorSetState(target, reason));
        if (!transition.Accepted)
        {
            LogRefused(logger, id, state, transition.Refusal!);
            return new AgentStateChange(ToSnapshot(transition.State), AgentStateChangeError.Refused, transition.Refusal);
        }

        LogChanged(logger, id, state);
        Requested?.Invoke(transition.State, Skills(id));
        return new AgentStateChange(ToSnapshot(transition.State), AgentStateChangeError.None, null);
    }

    /// <summary>
    /// Brings each agent's e-mail task in line with the e-mail room's database (called on every routing round
    /// of e-mail tasks): a task accepted is taken, one answered, declined or taken back is released. Only a
    /// change is an event, so a round that changes nothing publishes nothing.
    /// </summary>
    public void HoldEmailTasks(IReadOnlyDictionary<string, string> acceptedByAgent)
    {
        ArgumentNullException.ThrowIfNull(acceptedByAgent);
        foreach (var agent in roster.All())
        {
            var held = acceptedByAgent.GetValueOrDefault(agent.Extension);
            if (held == agent.EmailTask)
            {
                continue;
            }

            var transition = Apply(agent.Extension, held is null ? new AgentEvent.EmailTaskReleased(agent.EmailTask) : new AgentEvent.EmailTaskTaken(held));
            if (transition.Accepted)
            {
                LogEmailTask(logger, agent.Extension, held is null ? "released" : "holds", held ?? agent.EmailTask!);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var timer in _timers.Values)
            {
                timer.Dispose();
            }

            _timers.Clear();
        }
    }

    private void Execute(string extension, AgentEffect effect)
    {
        switch (effect)
        {
            case AgentEffect.StartTimer start:
                StopTimer(extension, start.Kind);
                AgentEvent fire = start.Kind == AgentTimerKind.Ring ? new AgentEvent.OfferTimedOut(start.CallId) : new AgentEvent.WrapUpExpired(start.CallId);
                _timers[(extension, start.Kind)] = time.CreateTimer(_ => Apply(extension, fire), null, start.Duration, Timeout.InfiniteTimeSpan);
                break;
            case AgentEffect.CancelTimer cancel:
                StopTimer(extension, cancel.Kind);
                break;
            case AgentEffect.OfferNextAgent next:
                OfferWithdrawn?.Invoke(next.CallId, next.SkippedExtension);
                break;
            case AgentEffect.PublishState publish:
                Publish(extension, publish.Previous, publish.Current);
                break;
            default:
                break;
        }
    }

    private void Publish(string extension, AgentState previous, AgentState current)
    {
        var now = time.GetUtcNow();
        events.Write(EventKind.AgentState, current.CallId ?? previous.CallId, extension, new
        {
            from = AgentStatusText.ToApi(previous),
            to = AgentStatusText.ToApi(current),
            reason = current.Reason,
            callId = current.CallId ?? previous.CallId,
        });
        if (previous.Status == AgentStatus.WrapUp && current.Status != AgentStatus.WrapUp && previous.CallId is { } wrapped)
        {
            WrapUpEnded?.Invoke(wrapped, extension, current.Since > previous.Since ? (current.Since - previous.Since).TotalSeconds : 0);
        }

        // The router's view: available agents (newly, or again after a missed offer or an e-mail task) may take a call at once.
        if (current.Routable && (!previous.Routable || previous.Since != current.Since))
        {
            queues.AgentAvailable(extension, SkillsOf(extension), current.CallsOn(now));
        }
        else if (current.Status == AgentStatus.Offline)
        {
            queues.AgentLoggedOut(extension);
        }
        else if (!current.Routable)
        {
            queues.AgentUnavailable(extension);
        }

        StateChanged?.Invoke(current, SkillsOf(extension));

        // The agent's desk and the wallboards; queued, so it never waits here under the lock.
        desk.AgentChanged(ToSnapshot(current));
    }

    /// <summary>The agent's skills as the router knows them (empty for an unknown agent).</summary>
    public IReadOnlyCollection<string> Skills(string extension)
    {
        lock (_gate)
        {
            return SkillsOf(extension);
        }
    }

    private IReadOnlyCollection<string> SkillsOf(string extension) => _skills.GetValueOrDefault(extension) ?? [];

    private void StopTimer(string extension, AgentTimerKind kind)
    {
        if (_timers.Remove((extension, kind), out var timer))
        {
            timer.Dispose();
        }
    }

    private void OnBindingChanged(object? sender, SipBindingChangedEventArgs e) =>
        Apply(e.Extension, e.IsRegistered ? new AgentEvent.PhoneRegistered() : new AgentEvent.PhoneUnregistered());

    private static AgentSnapshot ToSnapshot(AgentState a) => new(a.Extension, AgentStatusText.ToApi(a), a.Registered, a.Since, a.Reason, a.CallId, a.EmailTask);

    [LoggerMessage(2500, LogLevel.Information, "Agent {Extension} set to {State}")]
    private static partial void LogChanged(ILogger logger, string extension, string state);

    [LoggerMessage(5300, LogLevel.Information, "Agent {Extension} {Change} e-mail task {TaskId} (no calls are offered while one is held)")]
    private static partial void LogEmailTask(ILogger logger, string extension, string change, string taskId);

    [LoggerMessage(5542, LogLevel.Information, "Agent {Extension} set to {State} after the call another node holds: {Message}")]
    private static partial void LogAfterCall(ILogger logger, string extension, string state, string message);

    [LoggerMessage(2501, LogLevel.Information, "Agent {Extension} not set to {State}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string extension, string state, string reason);
}
