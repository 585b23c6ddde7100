using System.Globalization;

namespace CallCenter.ResourceControl.Clients;

/// <summary>A calendar quarter, written <c>2026Q1</c>: the period of one tier review (按季核定).</summary>
internal readonly record struct Quarter
{
    public Quarter(int year, int number)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 9999);
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(number, 4);
        Year = year;
        Number = number;
    }

    public int Year { get; }

    /// <summary>1 to 4.</summary>
    public int Number { get; }

    public DateOnly FirstDay => new(Year, (3 * Number) - 2, 1);

    /// <summary>The review date: the tier rules that look back a year count from here.</summary>
    public DateOnly LastDay => FirstDay.AddMonths(3).AddDays(-1);

    /// <summary>The quarter before this one.</summary>
    public Quarter Previous() => Number == 1 ? new(Year - 1, 4) : new(Year, Number - 1);

    /// <summary>The quarter's months as <c>YYYY-MM</c>, the key of the monthly figures.</summary>
    public IReadOnlyList<string> Months()
    {
        var first = FirstDay;
        return [.. Enumerable.Range(0, 3).Select(i => first.AddMonths(i).ToString("yyyy-MM", CultureInfo.InvariantCulture))];
    }

    /// <summary>The quarter a day falls in.</summary>
    public static Quarter Of(DateOnly day) => new(day.Year, ((day.Month - 1) / 3) + 1);

    public bool Contains(int year, int month) => year == Year && month >= FirstDay.Month && month < FirstDay.Month + 3;

    /// <summary>Reads <c>2026Q1</c> (or <c>2026q1</c>).</summary>
    public static bool TryParse(string? text, out Quarter quarter)
    {
        quarter = default;
        if (text is not { Length: 6 } || (text[4] is not ('Q' or 'q')) || text[5] is < '1' or > '4'
            || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year < 1)
        {
            return false;
        }

        quarter = new Quarter(year, text[5] - '0');
        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}Q{Number}");
}
