using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CallCenter.FaxSms.Fax;

/// <summary>
/// At start and every ten minutes: receptions a stop cut short are finished (<see cref="FaxInbox.RecoverInterruptedAsync"/>),
/// so the pages that arrived before a crash are counted, mailed and shown to supervisors rather than left on disk.
/// </summary>
public sealed class FaxInboxRecovery(FaxInbox inbox, TimeProvider time, ILogger<FaxInboxRecovery> logger) : BackgroundService
{
    private static readonly TimeSpan _every = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await inbox.RecoverInterruptedAsync(stoppingToken);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
            {
                FaxSmsLog.FaxWorkerDatabaseError(logger, e);
            }

            await Task.Delay(_every, time, stoppingToken);
        }
    }
}
