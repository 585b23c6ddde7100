using System.Collections.Concurrent;
using System.Threading.Channels;
using CallCenter.Contracts.Agents;
using CallCenter.Contracts.Calls;
using CallCenter.Contracts.Desk;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CallCenter.AgentDesk.Hubs;

/// <summary>
/// The host's events to the browsers: each call only notes the latest pop and call state of the
/// agent (for <c>current()</c>) and queues the message on a bounded channel, so the SIP and presence
/// paths never wait on a browser; one pump sends them in order to the agent's group and the wallboards.
/// </summary>
internal sealed class DeskEvents(
    IHubContext<AgentHub, IAgentClient> agentHub,
    IHubContext<WallboardHub, IWallboardClient> wallboardHub,
    ILogger<DeskEvents> logger) : BackgroundService, IDeskEvents
{
    public const int Capacity = 50_000;

    private readonly Channel<object> _queue = Channel.CreateBounded<object>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly ConcurrentDictionary<string, CallPop> _pops = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DeskCallState> _calls = new(StringComparer.Ordinal);

    public static string AgentGroup(string extension) => "agent:" + extension;

    public const string WallboardGroup = "wallboard";

    public void Offered(CallPop pop)
    {
        ArgumentNullException.ThrowIfNull(pop);
        _pops[pop.Agent] = pop;
        Enqueue(pop, "pop", pop.Agent);
    }

    public void CallChanged(DeskCallState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _calls[state.Agent] = state;
        Enqueue(state, "call state", state.Agent);
    }

    public void AgentChanged(AgentSnapshot agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        Enqueue(agent, "agent state", agent.Id);
    }

    /// <summary>The last pop the agent got (it stays for the wrap-up; the hub shows it while it is the agent's call).</summary>
    public CallPop? PopOf(string agent) => _pops.GetValueOrDefault(agent);

    /// <summary>The agent's last call state: its call id is the call a late wrap-up may still name.</summary>
    public DeskCallState? CallOf(string agent) => _calls.GetValueOrDefault(agent);

    /// <summary>The caller's number on the agent's call, for the wallboard grid.</summary>
    public string? CallerOf(string agent, string callId) =>
        _pops.TryGetValue(agent, out var pop) && pop.CallId == callId ? pop.Caller : null;

    private void Enqueue(object message, string kind, string agent)
    {
        if (!_queue.Writer.TryWrite(message))
        {
            HubLog.EventDropped(logger, kind, agent);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var message in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                await SendAsync(message);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: browsers reconnect to the next process and ask current().
        }
    }

    private async Task SendAsync(object message)
    {
        var (kind, agent) = message switch
        {
            CallPop p => ("pop", p.Agent),
            DeskCallState c => ("call state", c.Agent),
            AgentSnapshot a => ("agent state", a.Id),
            _ => ("?", "?"),
        };
        try
        {
            switch (message)
            {
                case CallPop pop:
                    await agentHub.Clients.Group(AgentGroup(pop.Agent)).Pop(pop);
                    break;
                case DeskCallState call:
                    await agentHub.Clients.Group(AgentGroup(call.Agent)).CallState(call);
                    break;
                case AgentSnapshot snapshot:
                    await agentHub.Clients.Group(AgentGroup(snapshot.Id)).AgentState(snapshot);
                    await wallboardHub.Clients.Group(WallboardGroup).AgentState(snapshot);
                    break;
                default:
                    break;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One browser's broken connection, or the SignalR backplane (Redis) unreachable in a cluster,
            // must not stop the others' messages nor this pump.
            HubLog.SendFailed(logger, e, kind, agent);
        }
    }
}
