namespace CallCenter.Ivr.Say;

/// <summary>
/// English readings as prompt-name sequences: numbers by thousand, million and billion without
/// "and" (1,234 one thousand two hundred thirty four); amounts as "12 yuan 30 fen" (the fen
/// count is the whole fraction, as English speakers say cents); dates as "November
/// twenty-second, 2026" with the year in pairs (twenty twenty-six, nineteen oh five).
/// </summary>
internal static class EnglishSay
{
    public static List<string> Digits(string digits)
    {
        var names = new List<string>(digits.Length);
        foreach (var c in digits)
        {
            names.Add("digit-" + c);
        }

        return names;
    }

    public static List<string> Number(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MandarinSay.MaxNumber);
        var names = new List<string>();
        if (value == 0)
        {
            names.Add("n-0");
            return names;
        }

        ReadOnlySpan<long> groups = [value / 1_000_000_000, value / 1_000_000 % 1000, value / 1000 % 1000, value % 1000];
        ReadOnlySpan<string?> scales = ["billion", "million", "thousand", null];
        for (var i = 0; i < groups.Length; i++)
        {
            if (groups[i] == 0)
            {
                continue;
            }

            AppendBelowThousand(names, (int)groups[i]);
            if (scales[i] is { } scale)
            {
                names.Add(scale);
            }
        }

        return names;
    }

    public static List<string> Currency(decimal amount)
    {
        var fenTotal = MandarinSay.ToFen(amount);
        var yuan = fenTotal / 100;
        var fen = fenTotal % 100;
        var names = new List<string>();
        if (yuan > 0 || fen == 0)
        {
            names.AddRange(Number(yuan));
            names.Add("yuan");
        }

        if (fen > 0)
        {
            names.AddRange(Number(fen));
            names.Add("fen");
        }

        return names;
    }

    public static List<string> Date(DateOnly date)
    {
        var names = new List<string> { "month-" + date.Month.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var day = date.Day;
        if (day is < 20 or 20 or 30)
        {
            names.Add(Ordinal(day));
        }
        else
        {
            names.Add("n-" + Invariant(day / 10 * 10));
            names.Add(Ordinal(day % 10));
        }

        var year = date.Year;
        if (year < 1000 || year is >= 2000 and < 2010)
        {
            names.AddRange(Number(year));
        }
        else if (year % 100 == 0)
        {
            names.AddRange(Number(year / 100));
            names.Add("hundred");
        }
        else
        {
            names.AddRange(Number(year / 100));
            if (year % 100 < 10)
            {
                names.Add("oh");
            }

            names.AddRange(Number(year % 100));
        }

        return names;
    }

    /// <summary>You are number N in the queue. [The estimated wait is M minutes.]</summary>
    public static List<string> QueuePosition(int position, int? waitMinutes)
    {
        var names = new List<string> { "queue-position-before" };
        names.AddRange(Number(position));
        names.Add("queue-position-after");
        if (waitMinutes is { } minutes)
        {
            names.Add("queue-wait-before");
            names.AddRange(Number(minutes));
            names.Add(minutes == 1 ? "queue-wait-after-one" : "queue-wait-after");
        }

        return names;
    }

    private static void AppendBelowThousand(List<string> names, int value)
    {
        if (value >= 100)
        {
            names.Add("n-" + Invariant(value / 100));
            names.Add("hundred");
        }

        var rest = value % 100;
        if (rest is > 0 and < 20)
        {
            names.Add("n-" + Invariant(rest));
        }
        else if (rest >= 20)
        {
            names.Add("n-" + Invariant(rest / 10 * 10));
            if (rest % 10 > 0)
            {
                names.Add("n-" + Invariant(rest % 10));
            }
        }
    }

    private static string Ordinal(int value) => "ord-" + Invariant(value);

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
