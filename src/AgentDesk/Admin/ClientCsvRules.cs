using System.Globalization;
using CallCenter.Data.Catalog;

namespace CallCenter.AgentDesk.Admin;

/// <summary>
/// The checks of a client directory CSV (header <see cref="Header"/>, or <see cref="HeaderWithOutsideManager"/>): each
/// row is taken or rejected with its line and every reason, so one bad row never stops the others. Pure: the known tiers
/// and agents are handed in.
/// </summary>
/// <remarks>
/// A client's account manager is either a hotline agent (<c>manager_extension</c>) or someone outside the hotline, such
/// as a branch's sales staff (<c>manager_name</c> and optionally <c>manager_phone</c>, in the longer header); not both.
/// A hotline serving two businesses (securities cards and futures grades) takes an optional last column
/// <c>business</c>: the row's tier must be of that business's scheme (empty, or no column: the default business's).
/// An optional column <c>call_hours</c> (after the fixed ones, before or after <c>business</c>) gives a client's own calling
/// hours, <c>HH:mm-HH:mm</c>; a bad value rejects the row with the reason.
/// </remarks>
internal static class ClientCsvRules
{
    public const string Header = "phone,name,account_masked,tier,manager_extension,language,branch";

    public const string HeaderWithOutsideManager = Header + ",manager_name,manager_phone";

    /// <summary>The optional last column: the business whose scheme the client's tier is of (Tiers:Businesses); empty: the default one.</summary>
    public const string BusinessColumn = "business";

    /// <summary>
    /// The optional column of the client's own calling hours (<see cref="ClientCallHours.Format"/>, local time in the
    /// platform's <c>Outbound:TimeZone</c>; empty: none). A file without it keeps the hours known clients have.
    /// </summary>
    public const string CallHoursColumn = "call_hours";

    public const int MaxNameLength = 64;

    public const int MaxAccountLength = 32;

    public const int MaxBranchLength = 64;

    /// <summary>
    /// A masked account shows at most this many digits (the trade's usual first four and last four, as in
    /// 6225****0001): more could be most of the real number.
    /// </summary>
    public const int MaxClearDigits = 8;

    private static readonly string[] _columns = Header.Split(',');

    private static readonly string[] _longColumns = HeaderWithOutsideManager.Split(',');

    /// <summary>Checks the rows against one scheme's tiers (a hotline with one business).</summary>
    public static ClientImportPlan Check(IReadOnlyList<CsvRecord> records, IReadOnlyCollection<string> tiers, IReadOnlySet<string> agentExtensions)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        return Check(records, new Dictionary<string, IReadOnlyCollection<string>> { [""] = tiers }, "", agentExtensions);
    }

    /// <summary>
    /// Checks the rows against the tiers of each business (business → tier names, highest first; one entry for a hotline
    /// with one business): a row's tier must be of its own business's scheme, the <see cref="BusinessColumn"/> or, when it
    /// is absent or empty, <paramref name="defaultBusiness"/>.
    /// </summary>
    public static ClientImportPlan Check(
        IReadOnlyList<CsvRecord> records, IReadOnlyDictionary<string, IReadOnlyCollection<string>> businesses, string defaultBusiness, IReadOnlySet<string> agentExtensions)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(businesses);
        ArgumentNullException.ThrowIfNull(agentExtensions);
        if (records.Count == 0)
        {
            return new ClientImportPlan([], [], $"The file is empty: the first line must be the header \"{Header}\".");
        }

        var header = records[0];
        var fields = header.Error is not null ? [] : header.Fields.Select(f => f.Trim()).ToList();
        var columns = header.Error is not null ? null
            : StartsWith(fields, _longColumns) ? _longColumns
            : StartsWith(fields, _columns) ? _columns
            : null;

        // After the fixed columns, the optional ones, each at most once, in either order.
        var optional = columns is null ? [] : fields.Skip(columns.Length).ToList();
        var businessAt = optional.FindIndex(f => string.Equals(f, BusinessColumn, StringComparison.OrdinalIgnoreCase));
        var callHoursAt = optional.FindIndex(f => string.Equals(f, CallHoursColumn, StringComparison.OrdinalIgnoreCase));
        if (columns is null || optional.Count != (businessAt >= 0 ? 1 : 0) + (callHoursAt >= 0 ? 1 : 0))
        {
            return new ClientImportPlan([], [], $"Line {header.Line.ToString(CultureInfo.InvariantCulture)} must be the header \"{Header}\" or \"{HeaderWithOutsideManager}\" (either may end with \",{BusinessColumn}\", \",{CallHoursColumn}\" or both).");
        }

        var hasBusiness = businessAt >= 0;
        var hasCallHours = callHoursAt >= 0;
        var expected = columns.Length + optional.Count;

        var rows = new List<ClientRecord>();
        var rejected = new List<RejectedRow>();
        var firstLineOfPhone = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var record in records.Skip(1))
        {
            if (record.Error is not null)
            {
                rejected.Add(new RejectedRow(record.Line, "malformed CSV: " + record.Error));
                continue;
            }

            if (record.Fields.Count != expected)
            {
                rejected.Add(new RejectedRow(record.Line, Invariant($"expected {expected} columns, found {record.Fields.Count}")));
                continue;
            }

            var reasons = new List<string>();
            var f = record.Fields.Select(v => v.Trim()).ToArray();
            var (phone, name, account, tier, manager, language, branch) = (f[0], f[1], f[2], f[3], f[4], f[5], f[6]);
            var (outsideName, outsidePhone) = columns.Length == _longColumns.Length ? (f[7], f[8]) : ("", "");
            var businessCell = hasBusiness ? f[columns.Length + businessAt] : "";
            var callHoursCell = hasCallHours ? f[columns.Length + callHoursAt] : "";

            var phoneValid = phone.Length is >= 5 and <= 20 && phone.All(char.IsAsciiDigit);
            if (!phoneValid)
            {
                reasons.Add($"phone \"{Clip(phone)}\" must be 5 to 20 digits");
            }

            if (name.Length is 0 or > MaxNameLength)
            {
                reasons.Add(Invariant($"name must not be empty and at most {MaxNameLength} characters"));
            }

            if (!IsMasked(account))
            {
                reasons.Add(Invariant($"account_masked must be masked: with '*' and at most {MaxClearDigits} digits in clear, at most {MaxAccountLength} characters (a full account number is not stored)"));
            }

            var (business, knownTier, tierReason) = TierOf(businesses, defaultBusiness, businessCell, tier);
            if (tierReason is not null)
            {
                reasons.Add(tierReason);
            }

            if (manager.Length > 0 && !agentExtensions.Contains(manager))
            {
                reasons.Add($"manager_extension \"{Clip(manager)}\" is not an agent's extension");
            }

            if (manager.Length > 0 && outsideName.Length > 0)
            {
                reasons.Add("give either manager_extension (a hotline agent) or manager_name (someone outside the hotline), not both");
            }

            if (outsideName.Length > MaxNameLength)
            {
                reasons.Add(Invariant($"manager_name must be at most {MaxNameLength} characters"));
            }

            if (outsidePhone.Length > 0 && outsideName.Length == 0)
            {
                reasons.Add("manager_phone needs a manager_name");
            }

            if (outsidePhone.Length > 0 && !IsPhone(outsidePhone))
            {
                reasons.Add($"manager_phone \"{Clip(outsidePhone)}\" must be 5 to 20 digits, optionally after a '+'");
            }

            if (language is not ("zh" or "en"))
            {
                reasons.Add($"language \"{Clip(language)}\" must be zh or en");
            }

            if (branch.Length > MaxBranchLength)
            {
                reasons.Add(Invariant($"branch must be at most {MaxBranchLength} characters"));
            }

            var (callHours, callHoursError) = ClientCallHours.Parse(callHoursCell);
            if (callHoursError is not null)
            {
                reasons.Add($"call_hours \"{Clip(callHoursCell)}\" {callHoursError}");
            }

            if (phoneValid)
            {
                if (firstLineOfPhone.TryGetValue(phone, out var first))
                {
                    reasons.Add(Invariant($"phone {phone} is already on line {first}"));
                }
                else
                {
                    firstLineOfPhone[phone] = record.Line;
                }
            }

            if (reasons.Count > 0)
            {
                rejected.Add(new RejectedRow(record.Line, string.Join("; ", reasons)));
            }
            else
            {
                rows.Add(new ClientRecord(
                    phone,
                    name,
                    account,
                    knownTier!,
                    manager.Length == 0 ? null : manager,
                    language,
                    branch,
                    outsideName.Length == 0 ? null : outsideName,
                    outsidePhone.Length == 0 ? null : outsidePhone,
                    business,
                    callHours?.ToString()));
            }
        }

        return new ClientImportPlan(rows, rejected, null, hasCallHours);
    }

    private static bool StartsWith(List<string> fields, string[] columns) =>
        fields.Count >= columns.Length && fields.Take(columns.Length).SequenceEqual(columns, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The row's business (its configured spelling; null when the cell is empty: the default business) and its tier as
    /// that business's scheme spells it, or why not: a business not served, or a tier of no or another business's scheme.
    /// </summary>
    private static (string? Business, string? Tier, string? Reason) TierOf(
        IReadOnlyDictionary<string, IReadOnlyCollection<string>> businesses, string defaultBusiness, string businessCell, string tier)
    {
        string? business = null;
        if (businessCell.Length > 0)
        {
            business = businesses.Keys.FirstOrDefault(b => b.Length > 0 && string.Equals(b, businessCell, StringComparison.OrdinalIgnoreCase));
            if (business is null)
            {
                var served = businesses.Keys.Where(b => b.Length > 0).ToList();
                return (null, null, served.Count == 0
                    ? $"business \"{Clip(businessCell)}\" is not served (the hotline has one business: leave the column empty)"
                    : $"business \"{Clip(businessCell)}\" is not one of {string.Join(", ", served)}");
            }
        }

        var own = business ?? defaultBusiness;
        var tiers = businesses.GetValueOrDefault(own) ?? [];
        var known = tiers.FirstOrDefault(t => string.Equals(t, tier, StringComparison.OrdinalIgnoreCase));
        if (known is not null)
        {
            return (business, known, null);
        }

        if (businesses.Count == 1)
        {
            return (business, null, $"unknown tier \"{Clip(tier)}\" (known: {string.Join(", ", tiers)})");
        }

        var elsewhere = businesses.FirstOrDefault(b => b.Value.Contains(tier, StringComparer.OrdinalIgnoreCase)).Key;
        return (business, null, elsewhere is null
            ? $"unknown tier \"{Clip(tier)}\" (business {own}'s tiers: {string.Join(", ", tiers)})"
            : $"tier \"{Clip(tier)}\" is of the {elsewhere} scheme, not of the client's business {own} (its tiers: {string.Join(", ", tiers)})");
    }

    /// <summary>Masked: has a '*', at most <see cref="MaxClearDigits"/> digits, nothing but digits, letters, '*', '-' and spaces.</summary>
    public static bool IsMasked(string account) =>
        account.Length is > 0 and <= MaxAccountLength
        && account.Contains('*', StringComparison.Ordinal)
        && account.Count(char.IsAsciiDigit) <= MaxClearDigits
        && account.All(c => char.IsAsciiLetterOrDigit(c) || c is '*' or '-' or ' ');

    private static bool IsPhone(string value)
    {
        var digits = value.StartsWith('+') ? value[1..] : value;
        return digits.Length is >= 5 and <= 20 && digits.All(char.IsAsciiDigit);
    }

    // A rejected value is echoed so the admin can find it, but not at any length.
    private static string Clip(string value) => value.Length <= 32 ? value : value[..32] + "…";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
