using System.Globalization;

namespace CallCenter.FaxSms.Broadcasts;

/// <summary>The <c>Broadcasts</c> section: the clients' clock, quiet hours, rate limits and the trading calendar.</summary>
public sealed class BroadcastOptions
{
    public const string Section = "Broadcasts";

    /// <summary>The time zone quiet hours, birthdays and schedules are read in (IANA id).</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>No broadcast SMS from this local time … (HH:mm) …</summary>
    public string QuietStart { get; set; } = "21:00";

    /// <summary>… until this one, unless a risk notice.</summary>
    public string QuietEnd { get; set; } = "08:00";

    /// <summary>At most this many broadcast SMS a second (the gateway's and the operator's limit).</summary>
    public double SmsPerSecond { get; set; } = 50;

    /// <summary>At most this many broadcast e-mails a second (the SMTP server's and the receiving providers' patience).</summary>
    public double EmailPerSecond { get; set; } = 20;

    /// <summary>Days (yyyy-MM-dd) that are not trading days although weekdays (exchange holidays), for schedules on trading days.</summary>
    public List<string> Holidays { get; set; } = [];

    public TimeZoneInfo Zone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public QuietHours Quiet() => new(Zone(), TimeOnly.ParseExact(QuietStart, "HH:mm", CultureInfo.InvariantCulture), TimeOnly.ParseExact(QuietEnd, "HH:mm", CultureInfo.InvariantCulture));

    public IReadOnlySet<DateOnly> HolidayDates() => Holidays.Select(h => DateOnly.ParseExact(h, "yyyy-MM-dd", CultureInfo.InvariantCulture)).ToHashSet();

    public IEnumerable<string> Validate()
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return $"Broadcasts:TimeZone \"{TimeZone}\" is not a known time zone (an IANA id such as Asia/Shanghai).";
        }

        if (!TimeOnly.TryParseExact(QuietStart, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ||
            !TimeOnly.TryParseExact(QuietEnd, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            yield return "Broadcasts:QuietStart and Broadcasts:QuietEnd must be times as HH:mm (21:00, 08:00).";
        }

        if (SmsPerSecond is <= 0 or > 10_000 || EmailPerSecond is <= 0 or > 10_000)
        {
            yield return "Broadcasts:SmsPerSecond and Broadcasts:EmailPerSecond must be above 0 and at most 10,000.";
        }

        foreach (var day in Holidays)
        {
            if (!DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                yield return $"Broadcasts:Holidays: \"{day}\" is not a date as yyyy-MM-dd.";
            }
        }
    }
}
