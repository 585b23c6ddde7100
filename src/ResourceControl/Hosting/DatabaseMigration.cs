using CallCenter.Data;

namespace CallCenter.ResourceControl.Hosting;

/// <summary>
/// The first hosted service: brings the database schema up to date before any other service starts.
/// The record writer, the event log and the registration janitor start before <see cref="PlatformStartup"/>
/// (so that they stop after it, once the SIP side has closed its calls); without this their first
/// writes found no tables on a fresh database and retried with a warning.
/// </summary>
internal sealed partial class DatabaseMigration(Migrator migrator, ILogger<DatabaseMigration> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var applied = await migrator.MigrateAsync(cancellationToken);
        LogMigrated(logger, applied);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(2005, LogLevel.Information, "Database schema up to date ({Applied} migrations applied)")]
    private static partial void LogMigrated(ILogger logger, int applied);
}
