using System.Data.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CallCenter.FaxSms.Email.Inbound;

/// <summary>
/// Offers waiting e-mail tasks to free agents with the email skill (<see cref="EmailTaskRouting"/>), when woken
/// by a new task or a reply, and every couple of seconds (an agent whose skills an admin changed). Each offer,
/// once committed, is pushed to the agent's desk (<see cref="CallCenter.Contracts.Desk.IDeskEmailTaskNotices"/>).
/// </summary>
public sealed class EmailTaskOffers(
    EmailTaskRepository tasks,
    EmailTaskSignal signal,
    IEnumerable<CallCenter.Contracts.Desk.IDeskEmailTaskNotices> desks,
    TimeProvider time,
    ILogger<EmailTaskOffers> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await signal.WaitAsync(TimeSpan.FromSeconds(2), stoppingToken);
                foreach (var (taskId, agent) in await tasks.OfferWaitingAsync(time.GetUtcNow(), stoppingToken))
                {
                    FaxSmsLog.MailTaskOffered(logger, taskId, agent);
                    foreach (var desk in desks)
                    {
                        desk.Offered(agent, taskId);
                    }
                }
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
}
