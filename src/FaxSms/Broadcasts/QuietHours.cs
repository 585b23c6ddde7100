namespace CallCenter.FaxSms.Broadcasts;

/// <summary>
/// The hours no broadcast SMS goes out (pure): from <c>Start</c> to <c>End</c> local time, across
/// midnight when Start is after End (21:00–08:00). A risk notice is not held back.
/// </summary>
public sealed record QuietHours(TimeZoneInfo Zone, TimeOnly Start, TimeOnly End)
{
    public bool IsQuiet(DateTimeOffset at)
    {
        if (Start == End)
        {
            return false;
        }

        var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Zone).DateTime);
        return Start < End ? local >= Start && local < End : local >= Start || local < End;
    }

    /// <summary><paramref name="at"/> itself when it is not quiet, otherwise the end of the quiet hours it falls in.</summary>
    public DateTimeOffset NextAllowed(DateTimeOffset at)
    {
        if (!IsQuiet(at))
        {
            return at;
        }

        var local = TimeZoneInfo.ConvertTime(at, Zone);
        var endToday = new DateTime(DateOnly.FromDateTime(local.DateTime), End, DateTimeKind.Unspecified);
        var end = endToday > local.DateTime ? endToday : endToday.AddDays(1);
        return new DateTimeOffset(end, Zone.GetUtcOffset(end));
    }
}
