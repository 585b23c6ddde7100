namespace CallCenter.ResourceControl.Clients;

/// <summary>
/// The <c>tier-review</c> command's own arguments (<c>--quarter 2026Q3</c>, <c>--dry-run</c>), taken out of the command
/// line before the rest goes to the configuration, whose checker rejects keys it does not know.
/// </summary>
internal sealed record TierReviewArguments(Quarter Quarter, bool DryRun, bool Help, IReadOnlyList<string> ConfigurationArgs)
{
    public const string Usage =
        "usage: tier-review [--quarter YYYYQn] [--dry-run] [--Key=value ...]\n"
        + "  --quarter   the quarter to review (default: the last completed quarter); a quarter not yet ended only with --dry-run\n"
        + "  --dry-run   grade and print the changes without writing them\n"
        + "  --Key=value configuration overrides, as for the platform (--Database:Provider=postgres)";

    /// <summary>Reads the arguments after <c>tier-review</c>; on failure <paramref name="error"/> names the problem.</summary>
    public static TierReviewArguments? Parse(IReadOnlyList<string> args, DateOnly today, out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        error = null;
        Quarter? quarter = null;
        var dryRun = false;
        var help = false;
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var (name, inlineValue) = arg.IndexOf('=', StringComparison.Ordinal) is var eq and > 0 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
            if (name.Equals("--quarter", StringComparison.OrdinalIgnoreCase))
            {
                var value = inlineValue ?? (i + 1 < args.Count ? args[++i] : null);
                if (quarter is not null)
                {
                    error = "--quarter is given twice.";
                    return null;
                }

                if (!Quarter.TryParse(value, out var parsed))
                {
                    error = value is null ? "--quarter needs a value such as 2026Q3." : $"--quarter \"{value}\" is not a quarter such as 2026Q3.";
                    return null;
                }

                quarter = parsed;
            }
            else if (name.Equals("--dry-run", StringComparison.OrdinalIgnoreCase) && inlineValue is null)
            {
                dryRun = true;
            }
            else if (arg is "--help" or "-h" or "-?")
            {
                help = true;
            }
            else
            {
                rest.Add(arg);
            }
        }

        var current = Quarter.Of(today);
        var chosen = quarter ?? current.Previous();
        if (chosen.FirstDay > current.FirstDay)
        {
            error = $"--quarter {chosen} has not begun (today is {today:yyyy-MM-dd}).";
            return null;
        }

        if (chosen == current && !dryRun)
        {
            // Grades of a quarter still running would be applied from part of its figures: only a preview is allowed.
            error = $"--quarter {chosen} has not ended yet (it ends {chosen.LastDay:yyyy-MM-dd}); add --dry-run for a preview.";
            return null;
        }

        return new TierReviewArguments(chosen, dryRun, help, rest);
    }
}
