using System.Globalization;
using Dapper;

namespace CallCenter.Data.Clients;

/// <summary>The tier review's inputs: clients' monthly figures and account facts, loaded per quarter.</summary>
public sealed class ClientFiguresRepository(DbConnectionFactory factory)
{
    private const string DayFormat = "yyyy-MM-dd";

    public async Task UpsertMonthsAsync(IEnumerable<ClientMonthFigures> months, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(months);
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO client_monthly_figures (phone, month, average_equity, fees, month_end_equity)
            VALUES (@Phone, @Month, @AverageEquity, @Fees, @MonthEndEquity)
            ON CONFLICT (phone, month) DO UPDATE SET average_equity = excluded.average_equity, fees = excluded.fees,
                month_end_equity = excluded.month_end_equity
            """,
            months.Select(m => new { m.Phone, Month = CheckMonth(m.Month), m.AverageEquity, m.Fees, m.MonthEndEquity }).ToList(),
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The caller numbers of every client of the directory (a grading feed may only carry these).</summary>
    public async Task<IReadOnlySet<string>> ListPhonesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var phones = await connection.QueryAsync<string>(new CommandDefinition("SELECT phone FROM clients", cancellationToken: cancellationToken));
        return phones.ToHashSet(StringComparer.Ordinal);
    }

    public async Task UpsertAccountAsync(ClientAccountRecord account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var connection = await factory.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO client_accounts (phone, opened_on, last_trade_on, has_positions)
            VALUES (@Phone, @OpenedOn, @LastTradeOn, @HasPositions)
            ON CONFLICT (phone) DO UPDATE SET opened_on = excluded.opened_on, last_trade_on = excluded.last_trade_on,
                has_positions = excluded.has_positions
            """,
            new
            {
                account.Phone,
                OpenedOn = account.OpenedOn.ToString(DayFormat, CultureInfo.InvariantCulture),
                LastTradeOn = account.LastTradeOn?.ToString(DayFormat, CultureInfo.InvariantCulture),
                HasPositions = account.HasPositions ? 1 : 0,
            },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Every client of the directory, with their account facts (null if none are stored) and their figures for
    /// <paramref name="months"/> (<c>YYYY-MM</c>): the quarter's months and the year-end month of the review.
    /// </summary>
    public async Task<IReadOnlyList<ClientReviewData>> LoadReviewDataAsync(IReadOnlyCollection<string> months, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(months);
        List<string> checkedMonths = [.. months.Select(CheckMonth)];
        await using var connection = await factory.OpenAsync(cancellationToken);
        var clients = await connection.QueryAsync<ClientRow>(new CommandDefinition(
            """
            SELECT c.phone AS Phone, c.name AS Name, c.tier AS Tier, a.opened_on AS OpenedOn, a.last_trade_on AS LastTradeOn,
                a.has_positions AS HasPositions, c.language AS Language, c.manager_extension AS ManagerExtension,
                COALESCE(m.name, c.manager_name) AS ManagerName, COALESCE(m.mobile, c.manager_phone) AS ManagerPhone, m.email AS ManagerEmail,
                c.business AS Business
            FROM clients c LEFT JOIN client_accounts a ON a.phone = c.phone LEFT JOIN agents m ON m.extension = c.manager_extension
            ORDER BY c.phone
            """,
            cancellationToken: cancellationToken));

        // One parameter per month: Dapper would pass a list to Npgsql as one array, which "IN" does not take.
        var parameters = new DynamicParameters();
        for (var i = 0; i < checkedMonths.Count; i++)
        {
            parameters.Add("m" + i.ToString(CultureInfo.InvariantCulture), checkedMonths[i]);
        }

        // CAST to text: SQLite hands NUMERIC back as integer or real row by row; the text parses exactly on both.
        var figures = checkedMonths.Count == 0 ? [] : await connection.QueryAsync<FiguresRow>(new CommandDefinition(
            $"""
            SELECT phone AS Phone, month AS Month, CAST(average_equity AS TEXT) AS AverageEquity, CAST(fees AS TEXT) AS Fees,
                CAST(month_end_equity AS TEXT) AS MonthEndEquity
            FROM client_monthly_figures WHERE month IN ({string.Join(", ", parameters.ParameterNames.Select(n => "@" + n))})
            ORDER BY phone, month
            """,
            parameters,
            cancellationToken: cancellationToken));
        var byPhone = figures.Select(f => f.ToFigures()).ToLookup(f => f.Phone, StringComparer.Ordinal);

        return [.. clients.Select(c => new ClientReviewData(c.Phone, c.Name, c.Tier, c.ToAccount(), [.. byPhone[c.Phone]], c.Language, c.ManagerExtension, c.ManagerName, c.ManagerPhone, c.ManagerEmail, c.Business))];
    }

    private static string CheckMonth(string month) =>
        DateOnly.TryParseExact(month + "-01", DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            ? month
            : throw new ArgumentException($"Month \"{month}\" is not YYYY-MM.", nameof(month));

    private static DateOnly ParseDay(string text) => DateOnly.ParseExact(text, DayFormat, CultureInfo.InvariantCulture);

    private static decimal ParseMoney(string text) => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private sealed class ClientRow
    {
        public string Phone { get; set; } = "";

        public string Name { get; set; } = "";

        public string Tier { get; set; } = "";

        public string? OpenedOn { get; set; }

        public string? LastTradeOn { get; set; }

        public long? HasPositions { get; set; }

        public string Language { get; set; } = "zh";

        public string? ManagerExtension { get; set; }

        public string? ManagerName { get; set; }

        public string? ManagerPhone { get; set; }

        public string? ManagerEmail { get; set; }

        public string? Business { get; set; }

        public ClientAccountRecord? ToAccount() => OpenedOn is null
            ? null
            : new(Phone, ParseDay(OpenedOn), LastTradeOn is null ? null : ParseDay(LastTradeOn), HasPositions == 1);
    }

    private sealed class FiguresRow
    {
        public string Phone { get; set; } = "";

        public string Month { get; set; } = "";

        public string AverageEquity { get; set; } = "";

        public string Fees { get; set; } = "";

        public string? MonthEndEquity { get; set; }

        public ClientMonthFigures ToFigures() =>
            new(Phone, Month, ParseMoney(AverageEquity), ParseMoney(Fees), MonthEndEquity is null ? null : ParseMoney(MonthEndEquity));
    }
}
