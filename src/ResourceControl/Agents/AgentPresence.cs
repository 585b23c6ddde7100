using CallCenter.AgentDesk.Agents;
using CallCenter.Data.Catalog;
using CallCenter.Data.Registrations;
using CallCenter.Telephony.Sip.Registrar;

namespace CallCenter.ResourceControl.Agents;

/// <summary>
/// Agents' presence in the running platform: the roster of every agent in the catalog, told when
/// their phones register or go away (the registrar's events, and at start-up the bindings kept in
/// the database), and changed by supervisors through the REST API.
/// </summary>
internal sealed partial class AgentPresence(
    AgentRoster roster,
    SipRegistrar registrar,
    CatalogRepository catalog,
    SipBindingRepository bindings,
    TimeProvider time,
    ILogger<AgentPresence> logger) : IAgentStates
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var agent in await catalog.ListAgentsAsync(cancellationToken))
        {
            roster.Add(agent.Extension, now);
        }

        foreach (var extension in (await bindings.GetActiveAsync(now.ToUnixTimeMilliseconds(), cancellationToken)).Select(b => b.Aor).Distinct())
        {
            roster.Apply(extension, new AgentEvent.PhoneRegistered(), now);
        }

        registrar.BindingChanged += OnBindingChanged;
    }

    public void Stop() => registrar.BindingChanged -= OnBindingChanged;

    public IReadOnlyList<AgentSnapshot> List() => [.. roster.All().Select(ToSnapshot)];

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

        var transition = roster.Apply(id, new AgentEvent.SupervisorSetState(target, reason), time.GetUtcNow());
        if (!transition.Accepted)
        {
            LogRefused(logger, id, state, transition.Refusal!);
            return new AgentStateChange(ToSnapshot(transition.State), AgentStateChangeError.Refused, transition.Refusal);
        }

        LogChanged(logger, id, state);
        return new AgentStateChange(ToSnapshot(transition.State), AgentStateChangeError.None, null);
    }

    private void OnBindingChanged(object? sender, SipBindingChangedEventArgs e)
    {
        AgentEvent change = e.IsRegistered ? new AgentEvent.PhoneRegistered() : new AgentEvent.PhoneUnregistered();
        roster.Apply(e.Extension, change, time.GetUtcNow());
    }

    private static AgentSnapshot ToSnapshot(AgentState a) => new(a.Extension, AgentStatusText.ToApi(a.Status), a.Registered, a.Since, a.Reason, a.CallId);

    [LoggerMessage(2500, LogLevel.Information, "Agent {Extension} set to {State}")]
    private static partial void LogChanged(ILogger logger, string extension, string state);

    [LoggerMessage(2501, LogLevel.Information, "Agent {Extension} not set to {State}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string extension, string state, string reason);
}
