using System.Data.Common;
using CallCenter.Data;
using CallCenter.Data.Clients;
using CallCenter.ResourceControl.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CallCenter.ResourceControl.Clients;

/// <summary>
/// <c>dotnet run --project src/ResourceControl -- tier-review [--quarter 2026Q3] [--dry-run]</c>: the quarterly review
/// by hand, with the platform's configuration (file, environment, <c>--Key=value</c>) and database.
/// Exit codes: 0 done (also when the quarter was already applied), 1 the database failed, 2 bad arguments or configuration.
/// </summary>
internal static class TierReviewCommand
{
    public const string Name = "tier-review";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(time);
        var today = DateOnly.FromDateTime(time.GetLocalNow().DateTime);
        var parsed = TierReviewArguments.Parse(args, today, out var argumentError);
        if (parsed is null)
        {
            await error.WriteLineAsync($"callcenter {Name}: {argumentError}\n{TierReviewArguments.Usage}");
            return 2;
        }

        if (parsed.Help)
        {
            await output.WriteLineAsync(TierReviewArguments.Usage);
            return 0;
        }

        var configuration = new ConfigurationManager();
        var services = new ServiceCollection();
        var errors = PlatformConfiguration.Load(configuration, services, [.. parsed.ConfigurationArgs]);
        if (errors.Count > 0)
        {
            foreach (var message in errors)
            {
                await error.WriteLineAsync($"callcenter {Name}: configuration error: {message}");
            }

            return 2;
        }

        // The command's own lines go to standard output; the runner's log lines only when something goes wrong.
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        services.Replace(ServiceDescriptor.Singleton(time));
        await using var provider = services.BuildServiceProvider();
        try
        {
            await provider.GetRequiredService<Migrator>().MigrateAsync(cancellationToken);
            var run = await provider.GetRequiredService<TierReviewRunner>().RunAsync(parsed.Quarter, TierReviewSources.Command, parsed.DryRun, cancellationToken);
            await output.WriteAsync(Describe(run, parsed.DryRun, Quarter.Of(today) == parsed.Quarter));
            return 0;
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            await error.WriteLineAsync($"callcenter {Name}: the database failed: {e.Message}");
            return 1;
        }
        catch (InvalidOperationException e) when (!provider.GetRequiredService<TierOptions>().ReviewGradesActiveScheme)
        {
            await error.WriteLineAsync($"callcenter {Name}: {e.Message}");
            return 1;
        }
    }

    /// <summary>One line per change with its reason, then the summary.</summary>
    internal static string Describe(TierReviewRun run, bool dryRun, bool preview)
    {
        ArgumentNullException.ThrowIfNull(run);
        var text = new System.Text.StringBuilder();
        if (run.AlreadyReviewed is { } earlier && !dryRun)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"Tier review {run.Quarter} was already applied on {earlier.ReviewedAt:yyyy-MM-dd HH:mm}Z by the {earlier.Source}: {earlier.Clients} clients graded, {earlier.Changes} tiers changed. Nothing changed now.\n");
            return text.ToString();
        }

        if (run.Clients == 0)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"Tier review {run.Quarter}: the client directory is empty; nothing reviewed.\n");
            return text.ToString();
        }

        foreach (var change in run.Changes)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{change.Phone} {change.Name}: {change.OldTier} -> {change.NewTier} ({change.Reason})\n");
        }

        var kept = run.Clients - run.Changes.Count;
        var summary = dryRun
            ? $"Tier review {run.Quarter}{(preview ? " (preview: the quarter has not ended)" : "")}, dry run: {run.Clients} clients graded, {run.Changes.Count} would change, {kept} kept. Nothing written."
            : $"Tier review {run.Quarter} applied: {run.Clients} clients graded, {run.Changes.Count} changed, {kept} kept; {run.Notices} client notices queued (SMS).";
        text.Append(summary).Append('\n');
        if (dryRun && run.AlreadyReviewed is { } applied)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"(The quarter was already applied on {applied.ReviewedAt:yyyy-MM-dd HH:mm}Z by the {applied.Source}; it will not be applied again.)\n");
        }

        return text.ToString();
    }
}
