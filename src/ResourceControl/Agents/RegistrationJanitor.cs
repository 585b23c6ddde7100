using CallCenter.Telephony.Sip.Registrar;

namespace CallCenter.ResourceControl.Agents;

/// <summary>Removes expired registrations every 15 seconds (the registrar also ignores them on read).</summary>
internal sealed partial class RegistrationJanitor(SipRegistrar registrar, TimeProvider time, ILogger<RegistrationJanitor> logger) : BackgroundService
{
    private static readonly TimeSpan _period = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_period, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var purged = await registrar.PurgeExpiredAsync(time.GetUtcNow(), stoppingToken);
                if (purged > 0)
                {
                    LogPurged(logger, purged);
                }
            }
            catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
            {
                // The database is briefly away: try again on the next tick.
                LogPurgeFailed(logger, e.Message);
            }
        }
    }

    [LoggerMessage(2200, LogLevel.Debug, "{Count} expired SIP registrations removed")]
    private static partial void LogPurged(ILogger logger, int count);

    [LoggerMessage(2201, LogLevel.Warning, "Removing expired SIP registrations failed: {Error}")]
    private static partial void LogPurgeFailed(ILogger logger, string error);
}
