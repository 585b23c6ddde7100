using Cronos;

namespace CallCenter.FaxSms.Broadcasts;

/// <summary>
/// When a scheduled broadcast runs next (pure): a cron expression (Cronos: five fields, or six with
/// seconds first) read in the
/// clients' time zone, optionally only on trading days (Monday to Friday, not a configured holiday).
/// </summary>
public static class ScheduleClock
{
    public static (CronExpression? Cron, string? Error) Parse(string? cron)
    {
        try
        {
            if (string.IsNullOrWhiteSpace(cron))
            {
                return (null, "\"cron\" is required (five fields, e.g. \"30 8 * * *\")");
            }

            var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            return (CronExpression.Parse(cron, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard), null);
        }
        catch (CronFormatException e)
        {
            return (null, $"\"cron\" is not a cron expression: {e.Message}");
        }
    }

    public static DateTimeOffset? Next(CronExpression cron, DateTimeOffset after, TimeZoneInfo zone, bool tradingDaysOnly, IReadOnlySet<DateOnly> holidays)
    {
        ArgumentNullException.ThrowIfNull(cron);
        var from = after;
        for (var i = 0; i < 400; i++)
        {
            var next = cron.GetNextOccurrence(from, zone);
            if (next is null)
            {
                return null;
            }

            if (!tradingDaysOnly || IsTradingDay(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(next.Value, zone).DateTime), holidays))
            {
                return next;
            }

            from = next.Value;
        }

        return null;
    }

    public static bool IsTradingDay(DateOnly day, IReadOnlySet<DateOnly> holidays) =>
        day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !holidays.Contains(day);
}
