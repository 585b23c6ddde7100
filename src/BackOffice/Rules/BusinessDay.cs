using System.Globalization;

namespace CallCenter.BackOffice.Rules;

/// <summary>"Today" for orders, trades and the daily transfer limit: the calendar day in the back office's time zone.</summary>
internal static class BusinessDay
{
    /// <summary>The day as yyyy-MM-dd and the instant it began.</summary>
    public static (string Day, DateTimeOffset Start) Of(DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var midnight = local.Date;
        var start = new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));
        return (midnight.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), start);
    }
}
