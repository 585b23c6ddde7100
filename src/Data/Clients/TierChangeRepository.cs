using System.Data.Common;
using System.Text.Json;
using Dapper;

namespace CallCenter.Data.Clients;

/// <summary>
/// Applies a quarter's tier review (the directory's tiers and the append-only history, in one transaction, once per
/// quarter) and reads the history back.
/// </summary>
public sealed class TierChangeRepository(DbConnectionFactory factory)
{
    public const int MaxLimit = 1000;

    /// <summary>
    /// Records <paramref name="review"/> as applied, sets each changed client's tier and appends the changes to the
    /// history, all or nothing. Returns false, changing nothing, when the quarter was already applied.
    /// <paramref name="alsoInTransaction"/> writes what the review causes (its notices in the outbox) in the same
    /// transaction, so they exist exactly when the review does.
    /// </summary>
    public async Task<bool> ApplyAsync(
        TierReviewRecord review,
        IReadOnlyList<TierChange> changes,
        Func<DbConnection, DbTransaction, CancellationToken, Task>? alsoInTransaction = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(review);
        ArgumentNullException.ThrowIfNull(changes);
        var at = review.ReviewedAt.ToUnixTimeMilliseconds();
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);

        // The quarter's row first: its primary key makes a concurrent or repeated application a no-op.
        var claimed = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO tier_reviews (quarter, reviewed_at_ms, source, clients, changes, tiers_before, tiers_after, notices, manager_notices)
            VALUES (@Quarter, @at, @Source, @Clients, @Changes, @before, @after, @Notices, @ManagerNotices)
            ON CONFLICT (quarter) DO NOTHING
            """,
            new { review.Quarter, at, review.Source, review.Clients, review.Changes, before = Counts(review.TiersBefore), after = Counts(review.TiersAfter), review.Notices, review.ManagerNotices },
            transaction,
            cancellationToken: cancellationToken));
        if (claimed == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }

        if (changes.Count > 0)
        {
            // Each change only from the tier the review read: a tier an admin changed or imported while the review ran
            // is not overwritten (the history and the client's notice would name the wrong "was" tier).
            var updated = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE clients SET tier = @NewTier WHERE phone = @Phone AND tier = @OldTier",
                changes.Where(c => c.OldTier is not null).ToList(),
                transaction,
                cancellationToken: cancellationToken));
            updated += await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE clients SET tier = @NewTier WHERE phone = @Phone",
                changes.Where(c => c.OldTier is null).ToList(),
                transaction,
                cancellationToken: cancellationToken));
            if (updated != changes.Count)
            {
                await transaction.RollbackAsync(cancellationToken);
                throw new InvalidOperationException(
                    $"Review {review.Quarter}: {changes.Count - updated} of {changes.Count} clients' tiers changed (or the client left the directory) while the review ran; nothing was applied, run it again.");
            }
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO tier_changes (phone, quarter, old_tier, new_tier, reason, decided_at_ms, source)
                VALUES (@Phone, @Quarter, @OldTier, @NewTier, @Reason, @at, @Source)
                """,
                changes.Select(c => new { c.Phone, review.Quarter, c.OldTier, c.NewTier, c.Reason, at, review.Source }).ToList(),
                transaction,
                cancellationToken: cancellationToken));
        }

        if (alsoInTransaction is not null)
        {
            await alsoInTransaction(connection, transaction, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The quarter's review if it was applied, else null.</summary>
    public async Task<TierReviewRecord?> FindReviewAsync(string quarter, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ReviewRow>(new CommandDefinition(
            $"SELECT {ReviewColumns} FROM tier_reviews WHERE quarter = @quarter",
            new { quarter },
            cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    /// <summary>The applied reviews, newest quarter first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<TierReviewRecord>> ListReviewsAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ReviewRow>(new CommandDefinition(
            $"SELECT {ReviewColumns} FROM tier_reviews ORDER BY quarter DESC LIMIT @limit",
            new { limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>
    /// The changes one quarter's review made, in the order it made them, each with the client's name and account
    /// manager as the directory has them now (the agent's extension and name, or a manager outside the hotline).
    /// </summary>
    public async Task<IReadOnlyList<TierQuarterChange>> ListQuarterAsync(string quarter, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<QuarterChangeRow>(new CommandDefinition(
            """
            SELECT t.seq AS Seq, t.phone AS Phone, t.quarter AS Quarter, t.old_tier AS OldTier, t.new_tier AS NewTier, t.reason AS Reason,
                t.decided_at_ms AS DecidedAtMs, t.source AS Source, c.name AS Name, c.manager_extension AS ManagerExtension,
                COALESCE(a.name, c.manager_name) AS ManagerName, c.manager_phone AS ManagerPhone
            FROM tier_changes t LEFT JOIN clients c ON c.phone = t.phone LEFT JOIN agents a ON a.extension = c.manager_extension
            WHERE t.quarter = @quarter ORDER BY t.seq
            """,
            new { quarter },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new TierQuarterChange(r.ToRecord(), r.Name, r.ManagerExtension, r.ManagerName, r.ManagerPhone))];
    }

    private const string ReviewColumns =
        "quarter AS Quarter, reviewed_at_ms AS ReviewedAtMs, source AS Source, clients AS Clients, changes AS Changes, "
        + "tiers_before AS TiersBefore, tiers_after AS TiersAfter, notices AS Notices, manager_notices AS ManagerNotices";

    private static string? Counts(IReadOnlyDictionary<string, int>? counts) =>
        counts is null ? null : JsonSerializer.Serialize(counts.OrderBy(c => c.Key, StringComparer.Ordinal).ToDictionary());

    // Null for a review applied before the counts were kept.
    private static Dictionary<string, int>? ParseCounts(string? json) =>
        json is null ? null : JsonSerializer.Deserialize<Dictionary<string, int>>(json);

    /// <summary>The newest changes first, at most <paramref name="limit"/>, of one client when <paramref name="phone"/> is given.</summary>
    public async Task<IReadOnlyList<TierChangeRecord>> ListAsync(string? phone, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);

        // Two texts rather than "@phone IS NULL OR ...": PostgreSQL cannot type a parameter that is only ever null.
        var where = phone is null ? "" : "WHERE phone = @phone ";
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ChangeRow>(new CommandDefinition(
            $"""
            SELECT seq AS Seq, phone AS Phone, quarter AS Quarter, old_tier AS OldTier, new_tier AS NewTier, reason AS Reason,
                decided_at_ms AS DecidedAtMs, source AS Source
            FROM tier_changes {where}ORDER BY seq DESC LIMIT @limit
            """,
            new { phone, limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    private sealed class ReviewRow
    {
        public string Quarter { get; set; } = "";

        public long ReviewedAtMs { get; set; }

        public string Source { get; set; } = "";

        public long Clients { get; set; }

        public long Changes { get; set; }

        public string? TiersBefore { get; set; }

        public string? TiersAfter { get; set; }

        public long Notices { get; set; }

        public long ManagerNotices { get; set; }

        public TierReviewRecord ToRecord() =>
            new(
                Quarter,
                DateTimeOffset.FromUnixTimeMilliseconds(ReviewedAtMs),
                Source,
                checked((int)Clients),
                checked((int)Changes),
                ParseCounts(TiersBefore),
                ParseCounts(TiersAfter),
                checked((int)Notices),
                checked((int)ManagerNotices));
    }

    private sealed class QuarterChangeRow : ChangeRow
    {
        public string? Name { get; set; }

        public string? ManagerExtension { get; set; }

        public string? ManagerName { get; set; }

        public string? ManagerPhone { get; set; }
    }

    private class ChangeRow
    {
        public long Seq { get; set; }

        public string Phone { get; set; } = "";

        public string Quarter { get; set; } = "";

        public string? OldTier { get; set; }

        public string NewTier { get; set; } = "";

        public string Reason { get; set; } = "";

        public long DecidedAtMs { get; set; }

        public string Source { get; set; } = "";

        public TierChangeRecord ToRecord() =>
            new(Seq, Phone, Quarter, OldTier, NewTier, Reason, DateTimeOffset.FromUnixTimeMilliseconds(DecidedAtMs), Source);
    }
}
