namespace CallCenter.BackOffice;

/// <summary>The <c>BackOffice</c> section: which back office answers the hotline, and the built-in one's limits.</summary>
public sealed class BackOfficeOptions
{
    public const string Section = "BackOffice";

    public const string BuiltIn = "builtin";

    public const string None = "none";

    /// <summary><c>builtin</c> (the platform's own tables, the default) or <c>none</c> (no back office: self-service is off).</summary>
    public string Provider { get; set; } = BuiltIn;

    /// <summary>The most an account may transfer by phone in one day, both directions together (CNY).</summary>
    public decimal DailyTransferLimit { get; set; } = 50_000.00m;

    /// <summary>The time zone "today" is read in, for today's orders, trades and the daily limit (IANA id).</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    public TimeZoneInfo Zone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public IEnumerable<string> Validate()
    {
        if (Provider is not (BuiltIn or None))
        {
            yield return $"BackOffice:Provider \"{Provider}\" is not one of builtin, none.";
        }

        if (DailyTransferLimit <= 0 || decimal.Round(DailyTransferLimit, 2) != DailyTransferLimit || DailyTransferLimit > 1_000_000_000m)
        {
            yield return "BackOffice:DailyTransferLimit must be above 0, at most 1,000,000,000, with at most two decimals (CNY).";
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return $"BackOffice:TimeZone \"{TimeZone}\" is not a known time zone (an IANA id such as Asia/Shanghai).";
        }
    }
}
