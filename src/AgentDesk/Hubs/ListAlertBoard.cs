using CallCenter.Contracts.Desk;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace CallCenter.AgentDesk.Hubs;

/// <summary>
/// Call list escalations for the supervisors: each is pushed at once to the wallboard group
/// (<c>listEscalated</c>), and the newest <see cref="Kept"/> are kept for the view sent every second,
/// so a wallboard opened later shows them too.
/// </summary>
internal sealed class ListAlertBoard(IHubContext<WallboardHub, IWallboardClient> hub, ILogger<ListAlertBoard> logger) : IListAlerts
{
    public const int Kept = 20;
    private readonly Lock _gate = new();
    private readonly LinkedList<ListEscalation> _recent = new();

    /// <summary>The newest escalations first.</summary>
    public IReadOnlyList<ListEscalation> Recent
    {
        get
        {
            lock (_gate)
            {
                return [.. _recent];
            }
        }
    }

    public void Escalated(ListEscalation escalation)
    {
        ArgumentNullException.ThrowIfNull(escalation);
        lock (_gate)
        {
            _recent.AddFirst(escalation);
            while (_recent.Count > Kept)
            {
                _recent.RemoveLast();
            }
        }

        _ = PushAsync(escalation);
    }

    private async Task PushAsync(ListEscalation escalation)
    {
        try
        {
            await hub.Clients.Group(DeskEvents.WallboardGroup).ListEscalated(escalation);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A broken connection, or the SignalR backplane (Redis) unreachable in a cluster.
            HubLog.WallboardFailed(logger, e);
        }
    }
}
