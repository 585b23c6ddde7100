using System.Globalization;
using CallCenter.Data.Clients;

namespace CallCenter.AgentDesk.Admin;

/// <summary>
/// The checks of a grading feed (header <see cref="Header"/>): each client's month from the counter system's month-end
/// export, the month's average daily equity (月日均权益), the fees paid and the month-end equity, in CNY. Each row is taken
/// or rejected with its line and every reason, so one bad row never stops the others. Pure: the directory's client
/// numbers and today's month are handed in.
/// </summary>
internal static class FiguresCsvRules
{
    public const string Header = "phone,month,average_equity,fees,month_end_equity";

    /// <summary>Amounts above this (a hundred billion CNY) are taken as a typo or an export in fen.</summary>
    public const decimal MaxAmount = 100_000_000_000m;

    private static readonly string[] _columns = Header.Split(',');

    public static FiguresImportPlan Check(IReadOnlyList<CsvRecord> records, IReadOnlySet<string> knownPhones, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(knownPhones);
        if (records.Count == 0)
        {
            return new FiguresImportPlan([], [], $"The file is empty: the first line must be the header \"{Header}\".");
        }

        var header = records[0];
        if (header.Error is not null
            || header.Fields.Count != _columns.Length
            || !header.Fields.Select(f => f.Trim()).SequenceEqual(_columns, StringComparer.OrdinalIgnoreCase))
        {
            return new FiguresImportPlan([], [], $"Line {header.Line.ToString(CultureInfo.InvariantCulture)} must be the header \"{Header}\".");
        }

        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        var rows = new List<ClientMonthFigures>();
        var rejected = new List<RejectedRow>();
        var firstLine = new Dictionary<(string, string), int>();
        foreach (var record in records.Skip(1))
        {
            if (record.Error is not null)
            {
                rejected.Add(new RejectedRow(record.Line, "malformed CSV: " + record.Error));
                continue;
            }

            if (record.Fields.Count != _columns.Length)
            {
                rejected.Add(new RejectedRow(record.Line, Invariant($"expected {_columns.Length} columns, found {record.Fields.Count}")));
                continue;
            }

            var reasons = new List<string>();
            var f = record.Fields.Select(v => v.Trim()).ToArray();
            var (phone, month, average, fees, monthEnd) = (f[0], f[1], f[2], f[3], f[4]);
            if (!knownPhones.Contains(phone))
            {
                reasons.Add($"phone \"{Clip(phone)}\" is no client of the directory (import the client first)");
            }

            var monthValid = DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first);
            if (!monthValid || month.Length != 7)
            {
                reasons.Add($"month \"{Clip(month)}\" must be YYYY-MM");
                monthValid = false;
            }
            else if (first >= thisMonth)
            {
                // A month's figures exist once it has ended.
                reasons.Add($"month {month} has not ended yet");
                monthValid = false;
            }

            var averageEquity = Amount("average_equity", average, required: true, reasons);
            var feesPaid = Amount("fees", fees, required: true, reasons);
            var monthEndEquity = Amount("month_end_equity", monthEnd, required: false, reasons);
            if (monthValid && reasons.Count == 0)
            {
                if (firstLine.TryGetValue((phone, month), out var earlier))
                {
                    reasons.Add(Invariant($"{phone} {month} is already on line {earlier}"));
                }
                else
                {
                    firstLine[(phone, month)] = record.Line;
                }
            }

            if (reasons.Count > 0)
            {
                rejected.Add(new RejectedRow(record.Line, string.Join("; ", reasons)));
            }
            else
            {
                rows.Add(new ClientMonthFigures(phone, month, averageEquity!.Value, feesPaid!.Value, monthEndEquity));
            }
        }

        return new FiguresImportPlan(rows, rejected, null);
    }

    // Plain decimals in yuan: digits with at most two decimals, no sign, no thousands separator, no exponent.
    private static decimal? Amount(string column, string text, bool required, List<string> reasons)
    {
        if (text.Length == 0)
        {
            if (required)
            {
                reasons.Add($"{column} is missing");
            }

            return null;
        }

        var point = text.IndexOf('.', StringComparison.Ordinal);
        var wellFormed = text.Length <= 20
            && text.All(c => char.IsAsciiDigit(c) || c == '.')
            && text.Count(c => c == '.') <= 1
            && point != 0 && point != text.Length - 1
            && (point < 0 || text.Length - point - 1 <= 2);
        if (!wellFormed || !decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            reasons.Add($"{column} \"{Clip(text)}\" must be an amount in yuan such as 1234567.89 (no sign, no separators, at most two decimals)");
            return null;
        }

        if (value > MaxAmount)
        {
            reasons.Add(Invariant($"{column} {value} is above {MaxAmount:0} (an export in fen?)"));
            return null;
        }

        return value;
    }

    private static string Clip(string value) => value.Length <= 32 ? value : value[..32] + "…";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
