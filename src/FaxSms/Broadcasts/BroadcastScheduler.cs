using CallCenter.FaxSms.Outbox;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CallCenter.FaxSms.Broadcasts;

/// <summary>
/// Runs scheduled broadcasts (the morning note at 08:30 on trading days, birthday greetings): every
/// few seconds it takes the schedules that are due and runs each once (<see cref="BroadcastRepository.RunScheduleAsync"/>
/// moves the next run on and starts the broadcast in one transaction, so a restart or a second node
/// never runs it twice). A run missed by more than <see cref="MaxLate"/> (the platform was down) is
/// skipped and logged rather than sent late: a morning note at noon helps nobody.
/// </summary>
public sealed class BroadcastScheduler(BroadcastRepository broadcasts, BroadcastOptions options, OutboxSignal signal, TimeProvider time, ILogger<BroadcastScheduler> logger) : BackgroundService
{
    public static readonly TimeSpan MaxLate = TimeSpan.FromHours(1);
    private static readonly TimeSpan _poll = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_poll, time);
        do
        {
            try
            {
                await RunDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException or BackOfficeUnavailableException)
            {
                FaxSmsLog.SchedulerError(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass: every due schedule run (or skipped) once.</summary>
    public async Task RunDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var schedule in await broadcasts.DueSchedulesAsync(now, cancellationToken))
        {
            var due = schedule.NextRunAt!.Value;
            var next = ScheduleClock.Parse(schedule.Cron).Cron is { } cron
                ? ScheduleClock.Next(cron, now, options.Zone(), schedule.TradingDaysOnly, options.HolidayDates())
                : null;
            var run = now - due <= MaxLate;
            var (claimed, broadcast) = await broadcasts.RunScheduleAsync(schedule, due, next, run, now, cancellationToken);
            if (claimed && !run)
            {
                FaxSmsLog.ScheduleMissed(logger, schedule.Name, schedule.Id, due, MaxLate.TotalMinutes, next);
            }

            if (broadcast is not null)
            {
                signal.Notify();
                if (await broadcasts.GetAsync(broadcast, cancellationToken) is { } view)
                {
                    FaxSmsLog.BroadcastStarted(logger, view.Id, view.RequestedBy, view.Queued, view.AudienceSize);
                }
            }
        }
    }
}
