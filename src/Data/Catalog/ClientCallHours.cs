using System.Globalization;

namespace CallCenter.Data.Catalog;

/// <summary>
/// A client's own calling hours (pure): from <see cref="Start"/> to <see cref="End"/>, local time in the platform's
/// <c>Outbound:TimeZone</c>, across midnight when the start is after the end (20:00-09:00). Written
/// <c>HH:mm-HH:mm</c> (the <c>clients.call_hours</c> column, the import's <c>call_hours</c> column); the start and the
/// end differ (a client with no limit of their own has no hours at all).
/// </summary>
public sealed record ClientCallHours(TimeOnly Start, TimeOnly End)
{
    public const string Format = "HH:mm-HH:mm";

    /// <summary>The hours written in <paramref name="text"/>, or why it is not hours (null and null: empty, no hours).</summary>
    public static (ClientCallHours? Hours, string? Error) Parse(string? text)
    {
        var value = (text ?? "").Trim();
        if (value.Length == 0)
        {
            return (null, null);
        }

        var parts = value.Split('-');
        if (parts.Length != 2
            || !TimeOnly.TryParseExact(parts[0].Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            || !TimeOnly.TryParseExact(parts[1].Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end))
        {
            return (null, $"must be {Format} (14:00-16:00; 20:00-09:00 runs across midnight)");
        }

        return start == end
            ? (null, "must start and end at different times (leave it empty for no hours of the client's own)")
            : (new ClientCallHours(start, end), null);
    }

    /// <summary>Whether <paramref name="local"/> (a time of the client's day) is within the hours.</summary>
    public bool Contains(TimeOnly local) => Start < End ? local >= Start && local < End : local >= Start || local < End;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Start:HH\\:mm}-{End:HH\\:mm}");
}
