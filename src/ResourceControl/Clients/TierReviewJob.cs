using System.Data.Common;
using CallCenter.Data.Clients;

namespace CallCenter.ResourceControl.Clients;

/// <summary>
/// The quarterly review on schedule (按季核定): at start-up and then every <see cref="CheckInterval"/>, once the
/// configured day and hour after a quarter's end have come, reviews that quarter unless it was already applied.
/// The applied quarter is kept in the database, so a restart does not review it again.
/// </summary>
internal sealed partial class TierReviewJob(
    TierReviewRunner runner,
    TierChangeRepository changes,
    TierOptions options,
    TimeProvider time,
    ILogger<TierReviewJob> logger) : BackgroundService
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromHours(1);

    /// <summary>
    /// The quarter the job should review at <paramref name="now"/>: the latest ended quarter whose review time has come,
    /// that is <see cref="TierOptions.ReviewDay"/> at <see cref="TierOptions.ReviewHour"/> (local time) of the next
    /// quarter's first month.
    /// </summary>
    /// <remarks>Only that quarter: an older one missed while the platform was down is left to the command.</remarks>
    public static Quarter DueQuarter(DateTimeOffset now, TimeZoneInfo zone, TierOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        var current = Quarter.Of(DateOnly.FromDateTime(local));
        var from = current.FirstDay.AddDays(options.ReviewDay - 1).ToDateTime(new TimeOnly(options.ReviewHour, 0));
        return local >= from ? current.Previous() : current.Previous().Previous();
    }

    /// <summary>One check: reviews the due quarter if it was not applied yet; returns the run, or null when it already was.</summary>
    public async Task<TierReviewRun?> CheckAsync(CancellationToken cancellationToken)
    {
        if (!options.ReviewGradesActiveScheme)
        {
            return null; // a scheme the review does not know (refused at start anyway): tiers stay as imported
        }

        var quarter = DueQuarter(time.GetUtcNow(), time.LocalTimeZone, options);
        if (await changes.FindReviewAsync(quarter.ToString(), cancellationToken) is not null)
        {
            return null;
        }

        LogReviewDue(logger, quarter.ToString());
        return await runner.RunAsync(quarter, TierReviewSources.Job, dryRun: false, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckInterval, time);
        do
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException)
            {
                // The next check tries again; nothing was applied (one transaction).
                LogReviewFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(2720, LogLevel.Information, "Tier review {Quarter} is due: the quarter has ended")]
    private static partial void LogReviewDue(ILogger logger, string quarter);

    [LoggerMessage(2721, LogLevel.Warning, "Scheduled tier review failed; retrying at the next check")]
    private static partial void LogReviewFailed(ILogger logger, Exception exception);
}
