using CallCenter.AgentDesk.Auth;
using CallCenter.Contracts.Agents;
using CallCenter.Contracts.Calls;
using Microsoft.AspNetCore.SignalR;

namespace CallCenter.AgentDesk.Hubs;

/// <summary>
/// <c>/hubs/wallboard</c>: supervisors and admins. Connections join the <c>wallboard</c> group, which
/// <see cref="WallboardPublisher"/> sends a view once a second (in a cluster, a group of this node's own). Every action is audited, done or refused.
/// Listen, whisper and barge go to the host's <see cref="IMonitorControl"/>; a pick of a waiting caller for an agent
/// to <see cref="CallerPicks"/>; callbacks booked and cancelled to the host's <see cref="ISupervisorCallbacks"/> (WallboardHub.Callbacks.cs).
/// </summary>
internal sealed partial class WallboardHub(
    IAgentStates agents,
    WallboardPublisher publisher,
    WallboardAudience audience,
    DeskAudit audit,
    IMonitorControl monitor,
    IWallboardPeers peers,
    CallerPicks picks,
    IEnumerable<ISupervisorCallbacks> supervisorCallbacks) : Hub<IWallboardClient>
{
    public const string Path = "/hubs/wallboard";

    public override async Task OnConnectedAsync()
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, DeskEvents.WallboardGroup);
        if (peers.ViewGroup != DeskEvents.WallboardGroup)
        {
            // In a cluster: the once-a-second view comes from this node only (it already holds the others').
            await Groups.AddToGroupAsync(Context.ConnectionId, peers.ViewGroup);
        }

        audience.Joined();
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        audience.Left();
        return base.OnDisconnectedAsync(exception);
    }

    public Task<WallboardView> Snapshot() => publisher.CurrentAsync(Context.ConnectionAborted);

    public async Task<HubResult> SetAgentState(string agentId, string state, string? reason)
    {
        var action = "set-agent-state";
        if (reason is { Length: > Endpoints.RequestLimits.MaxReason })
        {
            await audit.RefusedAsync(Context.User!, action, agentId, $"reason of {reason.Length} characters");
            throw new HubException(DeskHubText.ReasonTooLong);
        }

        var change = agents.Request(agentId ?? "", state ?? "", reason?.Trim());
        var detail = $"{state} {reason}".Trim();
        switch (change.Error)
        {
            case AgentStateChangeError.None:
                await audit.DoneAsync(Context.User!, action, agentId, detail);
                // In a cluster, kept for after a call another node holds: the message says so.
                return HubResult.Of(change.AfterCall && change.Reason is { } afterCall ? afterCall : DeskHubText.Done);
            case AgentStateChangeError.UnknownAgent:
                await audit.RefusedAsync(Context.User!, action, agentId, "unknown agent; " + detail);
                throw new HubException(DeskHubText.UnknownAgent);
            case AgentStateChangeError.UnknownState:
                await audit.RefusedAsync(Context.User!, action, agentId, "unknown state; " + detail);
                throw new HubException(DeskHubText.UnknownState);
            default:
                await audit.RefusedAsync(Context.User!, action, agentId, $"{change.Reason}; {detail}");
                throw new HubException(DeskHubText.StateRefused(change.Reason));
        }
    }

    /// <summary>Hands a waiting caller to an available agent (the ACD rings the agent's phone); refused with a clear sentence, audited either way.</summary>
    public async Task<HubResult> PickCaller(string callId, string agentId)
    {
        var outcome = await picks.PickAsync(Context.User!, "pick-caller", callId, agentId);
        return outcome.Status == CallerPickStatus.Done ? HubResult.Of(outcome.Message) : throw new HubException(outcome.Message);
    }

    public async Task<HubResult> Monitor(string callId, string mode)
    {
        var action = "monitor-" + (mode ?? "").ToLowerInvariant();
        if (!Enum.TryParse<MonitorMode>(mode, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(mode, out _))
        {
            await audit.RefusedAsync(Context.User!, "monitor", callId, $"unknown mode {mode}");
            throw new HubException(DeskHubText.UnknownMode);
        }

        var (control, extension) = await MonitoringAsync(action, callId);
        return await ResultAsync(action, callId, await control.MonitorAsync(callId, extension, parsed));
    }

    public async Task<HubResult> StopMonitor(string callId)
    {
        var (control, extension) = await MonitoringAsync("stop-monitor", callId);
        return await ResultAsync("stop-monitor", callId, await control.StopMonitorAsync(callId, extension));
    }

    private async Task<(IMonitorControl Control, string Extension)> MonitoringAsync(string action, string callId)
    {
        if (DeskClaims.AgentOf(Context.User!) is not { Length: > 0 } extension)
        {
            await audit.RefusedAsync(Context.User!, action, callId, "the supervisor has no extension");
            throw new HubException(DeskHubText.NoSupervisorPhone);
        }

        return (monitor, extension);
    }

    private async Task<HubResult> ResultAsync(string action, string callId, CallControlResult result)
    {
        if (!result.Done)
        {
            await audit.RefusedAsync(Context.User!, action, callId, result.Message);
            throw new HubException(DeskHubText.Refused(result));
        }

        await audit.DoneAsync(Context.User!, action, callId, result.Message);
        return HubResult.Of(result.Message);
    }
}
