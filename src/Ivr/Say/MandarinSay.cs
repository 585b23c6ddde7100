namespace CallCenter.Ivr.Say;

/// <summary>
/// Mandarin readings as prompt-name sequences. Numbers group by 万 and 亿 (four digits each):
/// one 零 stands for any run of zeros inside a number but never at its end (10005 一万零五,
/// 1050 一千零五十, 1500 一千五百); a leading 一十 is said 十 (12 十二, 120000 十二万) but
/// stays 一十 after another digit (110 一百一十, 100010 十万零一十).
/// 两 is used where speech uses it: a 2 that leads a group before 百 or 千 (两百, 两千二百, but
/// 一千二百), a bare 2 before 万 and 亿 (两万, 两亿), and a single 2 of 元, 角, 分 or minutes;
/// dates, positions and other digits keep 二.
/// </summary>
internal static class MandarinSay
{
    public const long MaxNumber = 999_999_999_999;

    public static List<string> Digits(string digits)
    {
        var names = new List<string>(digits.Length);
        foreach (var c in digits)
        {
            // Digit strings (account and phone numbers) read 1 as 幺, as Chinese does on the phone.
            names.Add("digit-" + c);
        }

        return names;
    }

    public static List<string> Number(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxNumber);
        var names = new List<string>();
        if (value == 0)
        {
            names.Add("zero");
            return names;
        }

        ReadOnlySpan<long> sections = [value / 100_000_000, value / 10_000 % 10_000, value % 10_000];
        ReadOnlySpan<string?> units = ["n-100000000", "n-10000", null];
        var emitted = false;
        var zeroPending = false;
        for (var i = 0; i < sections.Length; i++)
        {
            var section = (int)sections[i];
            if (section == 0)
            {
                zeroPending |= emitted;
                continue;
            }

            // A gap of a whole section, or a section under 1000 after a higher one, is read 零.
            if (emitted && (zeroPending || section < 1000))
            {
                names.Add("zero");
            }

            AppendSection(names, section, first: !emitted, beforeUnit: units[i] is not null);
            if (units[i] is { } unit)
            {
                names.Add(unit);
            }

            emitted = true;
            zeroPending = false;
        }

        return names;
    }

    public static List<string> Currency(decimal amount)
    {
        var fenTotal = ToFen(amount);
        var yuan = fenTotal / 100;
        var jiao = (int)(fenTotal / 10 % 10);
        var fen = (int)(fenTotal % 10);
        var names = new List<string>();
        if (yuan > 0)
        {
            names.AddRange(yuan == 2 ? ["n-2-liang"] : Number(yuan));
            names.Add("yuan");
        }

        if (jiao > 0)
        {
            names.Add(Small(jiao));
            names.Add("jiao");
        }

        if (fen > 0)
        {
            // 12.05 is 十二元零五分: the empty 角 is read 零 when something came before it.
            if (jiao == 0 && yuan > 0)
            {
                names.Add("zero");
            }

            names.Add(Small(fen));
            names.Add("fen");
        }

        if (names.Count == 0)
        {
            names.Add("zero");
            names.Add("yuan");
        }

        return names;
    }

    public static List<string> Date(DateOnly date)
    {
        var names = new List<string>();
        foreach (var c in date.Year.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            // Years are read digit by digit with 一 and 零: 二零二六年.
            names.Add(c == '0' ? "zero" : "n-" + c);
        }

        names.Add("year");
        names.AddRange(Number(date.Month));
        names.Add("month");
        names.AddRange(Number(date.Day));
        names.Add("day");
        return names;
    }

    /// <summary>您现在排在第 N 位[，预计等待 M 分钟].</summary>
    public static List<string> QueuePosition(int position, int? waitMinutes)
    {
        var names = new List<string> { "queue-position-before" };
        names.AddRange(Number(position));
        names.Add("queue-position-after");
        if (waitMinutes is { } minutes)
        {
            names.Add("queue-wait-before");
            names.AddRange(minutes == 2 ? ["n-2-liang"] : Number(minutes));
            names.Add(minutes == 1 ? "queue-wait-after-one" : "queue-wait-after");
        }

        return names;
    }

    internal static long ToFen(decimal amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        var fen = decimal.Round(amount * 100m, 0, MidpointRounding.AwayFromZero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fen, (MaxNumber * 100m) + 99m, nameof(amount));
        return (long)fen;
    }

    private static string Small(int digit) => digit == 2 ? "n-2-liang" : "n-" + digit;

    // One section of 1..9999 (千百十个).
    private static void AppendSection(List<string> names, int section, bool first, bool beforeUnit)
    {
        ReadOnlySpan<string?> units = [null, "n-10", "n-100", "n-1000"];
        var started = false;
        var zero = false;
        for (var pos = 3; pos >= 0; pos--)
        {
            var digit = section / Pow10(pos) % 10;
            if (digit == 0)
            {
                zero |= started;
                continue;
            }

            if (zero)
            {
                names.Add("zero");
                zero = false;
            }

            if (pos == 1 && digit == 1 && first && !started)
            {
                names.Add("n-10");
            }
            else
            {
                var liang = digit == 2 && !started && (pos >= 2 || (pos == 0 && section == 2 && beforeUnit));
                names.Add(liang ? "n-2-liang" : "n-" + digit);
                if (units[pos] is { } unit)
                {
                    names.Add(unit);
                }
            }

            started = true;
        }
    }

    private static int Pow10(int exponent) => exponent switch
    {
        0 => 1,
        1 => 10,
        2 => 100,
        _ => 1000,
    };
}
