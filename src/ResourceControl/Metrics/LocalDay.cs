namespace CallCenter.ResourceControl.Metrics;

/// <summary>Calendar days of a time zone as instants: a day runs from one local midnight to the next (23 or 25 hours across a clock change).</summary>
internal static class LocalDay
{
    /// <summary>The day that holds <paramref name="now"/> in <paramref name="zone"/>.</summary>
    public static DateOnly Of(DateTimeOffset now, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);

    /// <summary>
    /// Local midnight starting <paramref name="date"/>. Where clocks jump forward across midnight the day
    /// starts when they resume; where midnight happens twice, at the first of them.
    /// </summary>
    public static DateTimeOffset Start(DateOnly date, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }
}
