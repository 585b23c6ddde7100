using CallCenter.Data.Clients;
using CallCenter.FaxSms.Outbox;

namespace CallCenter.ResourceControl.Clients;

/// <summary>
/// The tier review's shell: loads a quarter's figures, runs the pure <see cref="TierReview"/> and applies its changes
/// (tiers and history in one transaction, once per quarter), for the <c>tier-review</c> command and the job alike.
/// Applying publishes: each client whose tier changed gets an SMS notice in their language (<see cref="TierNotices"/>),
/// queued in the outbox in the same transaction, each account manager the list of their clients whose tier changed
/// (<see cref="ManagerNotices"/>, same transaction), and the review keeps the tiers' counts before and after.
/// </summary>
internal sealed partial class TierReviewRunner(
    ClientFiguresRepository figures,
    TierChangeRepository changes,
    TierOptions options,
    TimeProvider time,
    ILogger<TierReviewRunner> logger,
    FaxSms.Broadcasts.BroadcastOptions? broadcasts = null)
{
    /// <summary>
    /// Reviews <paramref name="quarter"/>. A quarter already applied is left alone (the result names the earlier
    /// review); a dry run grades and reports but writes nothing.
    /// </summary>
    /// <param name="source"><see cref="TierReviewSources.Command"/> or <see cref="TierReviewSources.Job"/>.</param>
    public async Task<TierReviewRun> RunAsync(Quarter quarter, string source, bool dryRun, CancellationToken cancellationToken)
    {
        if (!options.ReviewGradesActiveScheme)
        {
            // Only a scheme the review knows: an unknown one has no tiers to grade by.
            throw new InvalidOperationException(
                $"The quarterly review knows no scheme \"{options.Scheme}\" (Tiers:Scheme); tiers are kept as imported.");
        }

        var key = quarter.ToString();
        var earlier = await changes.FindReviewAsync(key, cancellationToken);
        if (earlier is not null && !dryRun)
        {
            LogAlreadyReviewed(logger, key, earlier.Source, earlier.ReviewedAt);
            return new TierReviewRun(quarter, earlier.Clients, [], Applied: false, earlier);
        }

        var data = await figures.LoadReviewDataAsync([.. quarter.Months(), YearEndMonth(quarter)], cancellationToken);
        var byPhone = data.ToDictionary(d => d.Phone, StringComparer.Ordinal);

        // Each client is graded in their own business's scheme: the futures business by the domain's rules (TierReview),
        // any other (the securities cards) by its tiers' thresholds (SchemeReview). A client of a business the hotline no
        // longer serves is left as they are.
        var byBusiness = data.ToLookup(d => BusinessOf(d, options), StringComparer.OrdinalIgnoreCase);
        var futuresClients = byBusiness[TierSchemes.Futures].ToList();
        var result = TierReview.Review(futuresClients.Select(d => ToInput(d, quarter)), quarter, options);
        var graded = futuresClients.Count;
        List<TierReviewLine> lines =
        [
            .. result.Changes.Select(d => new TierReviewLine(d.ClientId, byPhone[d.ClientId].Name, byPhone[d.ClientId].Tier, d.NewTier!.Value.ToString(), d.Reason)),
        ];
        foreach (var business in options.ActiveBusinesses().Where(b => !string.Equals(b, TierSchemes.Futures, StringComparison.OrdinalIgnoreCase)))
        {
            var tiers = options.TiersOf(business);
            foreach (var client in byBusiness[business])
            {
                graded++;
                var (tier, reason) = SchemeReview.Decide(client.Tier, ToInput(client, quarter).Months, quarter, tiers);
                if (tier is not null && tier != client.Tier)
                {
                    lines.Add(new TierReviewLine(client.Phone, client.Name, client.Tier, tier, reason));
                }
            }
        }

        if (dryRun || data.Count == 0)
        {
            // An empty directory is not reviewed: marking the quarter would stop the review once clients exist.
            LogDryRun(logger, key, graded, lines.Count);
            return new TierReviewRun(quarter, graded, lines, Applied: false, earlier);
        }

        var now = time.GetUtcNow();
        var (notices, skipped) = TierNotices.Compose(
            key,
            lines.Select(l => new TierNotices.Change(l.Phone, l.Name, byPhone[l.Phone].Language, l.OldTier, l.NewTier, byPhone[l.Phone].ManagerName)),
            options.ActiveTiers());
        var (managerLists, managersSkipped) = ManagerNotices.Compose(key, ManagerListsOf(lines, byPhone), options.ManagerNotices, options.ActiveTiers());
        var newTiers = lines.ToDictionary(l => l.Phone, l => l.NewTier, StringComparer.Ordinal);
        var review = new TierReviewRecord(
            key,
            now,
            source,
            graded,
            lines.Count,
            TierNotices.Counts(data.Select(d => d.Tier)),
            TierNotices.Counts(data.Select(d => newTiers.GetValueOrDefault(d.Phone, d.Tier))),
            notices.Count,
            managerLists.Count);
        // The job runs at night (Tiers:ReviewHour): the notices wait for the end of the SMS quiet hours, as broadcasts do.
        var sendFrom = broadcasts?.Quiet().NextAllowed(now) ?? now;
        var applied = await changes.ApplyAsync(
            review,
            [.. lines.Select(l => new TierChange(l.Phone, l.OldTier, l.NewTier, l.Reason))],
            async (connection, transaction, token) =>
            {
                foreach (var notice in notices.Concat(managerLists))
                {
                    await OutboxRepository.EnqueueAsync(connection, transaction, notice, now, token, notBefore: sendFrom);
                }
            },
            cancellationToken);
        if (!applied)
        {
            // Another process (the job, or a second command) applied the quarter between our check and our write.
            earlier = await changes.FindReviewAsync(key, cancellationToken);
            LogAlreadyReviewed(logger, key, earlier?.Source ?? "?", earlier?.ReviewedAt ?? review.ReviewedAt);
            return new TierReviewRun(quarter, graded, [], Applied: false, earlier);
        }

        foreach (var line in lines)
        {
            LogTierChanged(logger, line.Phone, key, line.OldTier, line.NewTier, line.Reason, source);
        }

        foreach (var skip in skipped)
        {
            LogNoNotice(logger, skip.Phone, key, skip.Reason);
        }

        foreach (var skip in managersSkipped)
        {
            LogNoManagerList(logger, skip.Manager, key, skip.Reason);
        }

        LogReviewApplied(logger, key, graded, lines.Count, source, notices.Count, managerLists.Count);
        return new TierReviewRun(quarter, graded, lines, Applied: true, null, notices.Count);
    }

    /// <summary>The changed clients grouped by their account manager (an agent, or a manager outside the hotline); clients without one are in no list.</summary>
    internal static IEnumerable<(ManagerNotices.Manager, IReadOnlyList<ManagerNotices.Client>)> ManagerListsOf(IReadOnlyList<TierReviewLine> lines, IReadOnlyDictionary<string, ClientReviewData> byPhone) =>
        lines
            .Select(l => (Line: l, Data: byPhone[l.Phone]))
            .Where(x => (x.Data.ManagerExtension ?? x.Data.ManagerPhone) is not null)
            .GroupBy(x => x.Data.ManagerExtension ?? x.Data.ManagerPhone!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var data = g.First().Data;
                var manager = new ManagerNotices.Manager(g.Key, data.ManagerName ?? g.Key, data.ManagerPhone, data.ManagerEmail);
                IReadOnlyList<ManagerNotices.Client> clients = [.. g.Select(x => new ManagerNotices.Client(x.Line.Phone, x.Line.Name, x.Line.OldTier, x.Line.NewTier))];
                return (manager, clients);
            });

    /// <summary>
    /// The business a client is graded in, as configured (their own, or the default); "" for one not served, and for
    /// one whose tier is not of that business's scheme (a directory from before <c>Tiers:Businesses</c>, or before
    /// <c>Tiers:Scheme</c> changed): such a client is left as they are, not regraded across schemes.
    /// </summary>
    internal static string BusinessOf(ClientReviewData client, TierOptions options)
    {
        var own = string.IsNullOrEmpty(client.Business) ? options.Scheme : client.Business;
        var business = options.ActiveBusinesses().FirstOrDefault(b => string.Equals(b, own, StringComparison.OrdinalIgnoreCase)) ?? "";
        return business.Length > 0 && options.TiersOf(business).Any(t => t is not null && string.Equals(t.Name, client.Tier, StringComparison.Ordinal))
            ? business
            : "";
    }

    /// <summary>The December whose month-end equity is the "year-end equity" at the quarter's last day.</summary>
    internal static string YearEndMonth(Quarter quarter) =>
        new Quarter(quarter.Number == 4 ? quarter.Year : quarter.Year - 1, 4).Months()[2];

    internal static TierReviewInput ToInput(ClientReviewData data, Quarter quarter)
    {
        // The year-end December of a Q1-Q3 review lies outside the quarter: the review ignores its averages.
        var yearEnd = YearEndMonth(quarter);
        List<MonthlyFigures> months =
        [
            .. data.Months.Select(m => new MonthlyFigures(
                int.Parse(m.Month.AsSpan(0, 4), System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(m.Month.AsSpan(5, 2), System.Globalization.CultureInfo.InvariantCulture),
                m.AverageEquity,
                m.Fees)),
        ];

        // Without stored account facts the account counts as opened on the review date: missing data must not
        // make a client Dormant (the pure review keeps a client without figures for the same reason).
        var account = data.Account;
        return new TierReviewInput(
            data.Phone,
            ParseTier(data.Tier),
            months,
            account?.OpenedOn ?? quarter.LastDay,
            account?.LastTradeOn,
            account?.HasPositions ?? false,
            data.Months.FirstOrDefault(m => m.Month == yearEnd)?.MonthEndEquity);
    }

    /// <summary>The directory's tier text as a tier; null for a name the grading does not know (it is then graded afresh).</summary>
    internal static ClientTier? ParseTier(string tier) =>
        Enum.GetValues<ClientTier>().Select(t => (ClientTier?)t).FirstOrDefault(t => t.ToString() == tier);

    [LoggerMessage(2700, LogLevel.Information, "Client {Phone} tier {OldTier} -> {NewTier} by the {Quarter} review ({Source}): {Reason}")]
    private static partial void LogTierChanged(ILogger logger, string phone, string quarter, string oldTier, string newTier, string reason, string source);

    [LoggerMessage(2701, LogLevel.Information, "Tier review {Quarter} applied ({Source}): {Clients} clients graded, {Changes} tiers changed, {Notices} client notices and {ManagerLists} account-manager lists queued")]
    private static partial void LogReviewApplied(ILogger logger, string quarter, int clients, int changes, string source, int notices, int managerLists);

    [LoggerMessage(2704, LogLevel.Warning, "Client {Phone}'s tier changed in the {Quarter} review but gets no SMS notice: {Reason}")]
    private static partial void LogNoNotice(ILogger logger, string phone, string quarter, string reason);

    [LoggerMessage(5301, LogLevel.Warning, "Account manager {Manager} has clients whose tier changed in the {Quarter} review but gets no list: {Reason}")]
    private static partial void LogNoManagerList(ILogger logger, string manager, string quarter, string reason);

    [LoggerMessage(2702, LogLevel.Information, "Tier review {Quarter} was already applied ({Source}, {ReviewedAt:u}); nothing changed")]
    private static partial void LogAlreadyReviewed(ILogger logger, string quarter, string source, DateTimeOffset reviewedAt);

    [LoggerMessage(2703, LogLevel.Information, "Tier review {Quarter} dry run: {Clients} clients graded, {Changes} tiers would change; nothing written")]
    private static partial void LogDryRun(ILogger logger, string quarter, int clients, int changes);
}
