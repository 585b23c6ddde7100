using System.Globalization;
using CallCenter.FaxSms.Broadcasts;

namespace CallCenter.ResourceControl.Outbound;

/// <summary>
/// When the platform may call clients (section <c>Outbound</c>): the hours of the clients' local day
/// in which callbacks, list calls and click-to-dial may ring them. Outside them a call waits for the
/// morning, except a futures risk notice, which may go at any hour (logged as such).
/// </summary>
internal sealed class OutboundOptions
{
    public const string Section = "Outbound";

    /// <summary>The clients' time zone (an IANA id).</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>No call before this local time (HH:mm).</summary>
    public string CallingHoursStart { get; set; } = "08:00";

    /// <summary>No call from this local time on (HH:mm); the same as the start: any hour.</summary>
    public string CallingHoursEnd { get; set; } = "21:00";

    /// <summary>
    /// How often each node reads the do-not-call list again from the database (seconds, 1-300; default 3): a number
    /// listed or taken off through another node (or written to the table by anyone) is honoured here within this time.
    /// Changes made through this node apply at once.
    /// </summary>
    public int DoNotCallRefreshSeconds { get; set; } = 3;

    /// <summary>The quiet hours: from the end of the calling hours to their start (across midnight).</summary>
    public QuietHours Quiet() => new(
        TimeZoneInfo.FindSystemTimeZoneById(TimeZone),
        TimeOnly.ParseExact(CallingHoursEnd, "HH:mm", CultureInfo.InvariantCulture),
        TimeOnly.ParseExact(CallingHoursStart, "HH:mm", CultureInfo.InvariantCulture));

    public IEnumerable<string> Validate()
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return $"{Section}:TimeZone \"{TimeZone}\" is not a known time zone (an IANA id such as Asia/Shanghai).";
        }

        if (DoNotCallRefreshSeconds is < 1 or > 300)
        {
            yield return $"{Section}:DoNotCallRefreshSeconds must be 1-300 (seconds between two reads of the do-not-call list), not {DoNotCallRefreshSeconds}.";
        }

        foreach (var (key, value) in new[] { ("CallingHoursStart", CallingHoursStart), ("CallingHoursEnd", CallingHoursEnd) })
        {
            if (!TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                yield return $"{Section}:{key} must be a time as HH:mm (08:00, 21:00), not \"{value}\".";
            }
        }
    }
}
