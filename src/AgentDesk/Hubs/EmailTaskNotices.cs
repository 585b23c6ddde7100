using CallCenter.Contracts.Desk;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace CallCenter.AgentDesk.Hubs;

/// <summary>
/// Pushes "an e-mail task was offered to you" (and "is no longer yours") to the agent's desk connections (the group
/// <c>agent:&lt;extension&gt;</c> of the agent hub), for the messaging room (<see cref="IDeskEmailTaskNotices"/>).
/// A lost push costs only time: the desk also reads its tasks when it connects and on a slow timer.
/// </summary>
internal sealed partial class EmailTaskNotices(IHubContext<AgentHub, IAgentClient> hub, ILogger<EmailTaskNotices> logger) : IDeskEmailTaskNotices
{
    public void Offered(string agent, string taskId) => _ = PushAsync(agent, taskId, withdrawn: false);

    public void Withdrawn(string agent, string taskId, string reason) => _ = PushAsync(agent, taskId, withdrawn: true);

    private async Task PushAsync(string agent, string taskId, bool withdrawn)
    {
        try
        {
            var desk = hub.Clients.Group(DeskEvents.AgentGroup(agent));
            await (withdrawn ? desk.EmailTaskWithdrawn(taskId) : desk.EmailTaskOffered(taskId));
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or OperationCanceledException)
        {
            LogPushFailed(logger, agent, taskId, e.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "E-mail task {TaskId}: the push to agent {Agent}'s desk failed ({Error}); the desk's timer reads it")]
    private static partial void LogPushFailed(ILogger logger, string agent, string taskId, string error);
}
