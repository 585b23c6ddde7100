using System.Data.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CallCenter.FaxSms.Email.Inbound;

/// <summary>
/// Routes e-mail tasks like calls, when woken by a new task, a reply or a decline, and every couple of
/// seconds (presence changes, the accept timeout, an agent whose skills an admin changed): first the offers
/// whose agent went away or did not accept in time are taken back (<see cref="EmailTaskRouting.Withdraw"/>),
/// then waiting tasks are offered to available agents (<see cref="EmailTaskRouting.Assign"/>). Presence comes
/// from the host (<see cref="CallCenter.Contracts.Agents.IAgentStates"/>); everything else is in the database,
/// so a restart loses nothing: an offer to an agent not signed in again is taken back and made to another.
/// Each change, once committed, is pushed to the agent's desk (<see cref="CallCenter.Contracts.Desk.IDeskEmailTaskNotices"/>),
/// and the accepted tasks go to presence, which offers no call to an agent handling one.
/// </summary>
public sealed class EmailTaskOffers(
    EmailTaskRepository tasks,
    EmailTaskSignal signal,
    IEnumerable<CallCenter.Contracts.Desk.IDeskEmailTaskNotices> desks,
    MailOptions options,
    TimeProvider time,
    ILogger<EmailTaskOffers> logger,
    CallCenter.Contracts.Agents.IAgentStates? agents = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var acceptWithin = TimeSpan.FromSeconds(options.Imap.AcceptSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await signal.WaitAsync(TimeSpan.FromSeconds(2), stoppingToken);
                await RouteAsync(acceptWithin, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (DbException e)
            {
                FaxSmsLog.MailOffersFailed(logger, e);
            }
        }
    }

    /// <summary>One round: offers taken back, then offers made.</summary>
    internal async Task RouteAsync(TimeSpan acceptWithin, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var states = agents?.List().ToDictionary(a => a.Id, a => a.State, StringComparer.Ordinal);
        if (states is not null)
        {
            foreach (var withdrawal in await tasks.WithdrawAsync(states, now, acceptWithin, cancellationToken))
            {
                FaxSmsLog.MailTaskWithdrawn(logger, withdrawal.TaskId, withdrawal.Agent, withdrawal.Reason);
                foreach (var desk in desks)
                {
                    desk.Withdrawn(withdrawal.Agent, withdrawal.TaskId, withdrawal.Reason);
                }
            }
        }

        foreach (var (taskId, agent) in await tasks.OfferWaitingAsync(now, states, acceptWithin, cancellationToken))
        {
            FaxSmsLog.MailTaskOffered(logger, taskId, agent);
            foreach (var desk in desks)
            {
                desk.Offered(agent, taskId);
            }
        }

        // Presence owns whether an agent may be offered a call; the database owns which tasks are accepted.
        // Each round hands presence the accepted tasks, so an agent is busy for calls from the round after the
        // accept (woken by it) until the round after the answer, decline or withdrawal, and a restart agrees too.
        agents?.HoldEmailTasks(await tasks.AcceptedByAgentAsync(cancellationToken));
    }
}
