using Dapper;

namespace CallCenter.Data.Desk;

/// <summary>The wrap-up disposition codes (table disposition_codes), in their sort order.</summary>
public sealed class DispositionCodeRepository(DbConnectionFactory factory)
{
    public async Task<IReadOnlyList<DispositionCode>> ListAsync(bool activeOnly, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT code AS Code, label_zh AS LabelZh, label_en AS LabelEn, active AS Active, sort_order AS SortOrder
            FROM disposition_codes WHERE @activeOnly = 0 OR active = 1 ORDER BY sort_order, code
            """,
            new { activeOnly = activeOnly ? 1 : 0 },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new DispositionCode(r.Code, r.LabelZh, r.LabelEn, r.Active != 0, (int)r.SortOrder))];
    }

    public async Task UpsertAsync(DispositionCode code, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        await using var connection = await factory.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO disposition_codes (code, label_zh, label_en, active, sort_order) VALUES (@Code, @LabelZh, @LabelEn, @Active, @SortOrder)
            ON CONFLICT (code) DO UPDATE SET label_zh = excluded.label_zh, label_en = excluded.label_en,
                active = excluded.active, sort_order = excluded.sort_order
            """,
            new { code.Code, code.LabelZh, code.LabelEn, Active = code.Active ? 1 : 0, code.SortOrder },
            cancellationToken: cancellationToken));
    }

    // Setters, not a positional record: PostgreSQL reads INTEGER as int, SQLite as long.
    private sealed class Row
    {
        public string Code { get; set; } = "";

        public string LabelZh { get; set; } = "";

        public string LabelEn { get; set; } = "";

        public long Active { get; set; }

        public long SortOrder { get; set; }
    }
}
