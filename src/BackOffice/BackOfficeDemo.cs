using CallCenter.BackOffice.Rules;
using CallCenter.Data;
using Dapper;

namespace CallCenter.BackOffice;

/// <summary>
/// The demo's back office (design.md section 4, only with <c>Demo:Seed</c>): each demo client
/// 1380000000N has fund account 88000000000N with trading PIN 135790, 100,000.00 CNY cash, a bank
/// link (with 200,000.00 CNY in the bank) and 1,000 shares of 600000; the quote table holds six
/// stocks. Rows that exist are left alone, so a restart or a second node changes nothing.
/// </summary>
public static class BackOfficeDemo
{
    public const string Pin = "135790";

    public static readonly IReadOnlyList<(string Code, string Name, decimal Last, decimal PreviousClose)> Quotes =
    [
        ("600000", "浦发银行", 10.50m, 10.40m),
        ("600036", "招商银行", 35.20m, 35.60m),
        ("000001", "平安银行", 11.80m, 11.75m),
        ("601318", "中国平安", 48.30m, 47.90m),
        ("600519", "贵州茅台", 1520.00m, 1508.00m),
        ("000858", "五粮液", 128.60m, 130.10m),
    ];

    private static readonly string[] _banks = ["ICBC:工商银行", "CMB:招商银行", "CCB:建设银行", "BOC:中国银行", "ABC:农业银行", "BOCOM:交通银行"];

    public static string AccountOf(int n) => "88000000000" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static async Task SeedAsync(DbConnectionFactory factory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(factory);
        await using var connection = await factory.OpenAsync(cancellationToken);
        var accounts = Enumerable.Range(1, 6).Select(AccountOf).ToArray();
        var present = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM bo_accounts WHERE " + factory.Dialect.InList("account", "accounts"), new { accounts }, cancellationToken: cancellationToken));
        if (present == accounts.Length)
        {
            // Seeded before: skip the six slow PIN hashes.
            return;
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var q in Quotes)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO bo_quotes (code, name, last_fen, previous_close_fen) VALUES (@Code, @Name, @last, @previous) ON CONFLICT DO NOTHING",
                new { q.Code, q.Name, last = Money.ToFen(q.Last), previous = Money.ToFen(q.PreviousClose) }, transaction, cancellationToken: cancellationToken));
        }

        for (var n = 1; n <= accounts.Length; n++)
        {
            var account = AccountOf(n);
            var phone = "1380000000" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var bank = _banks[n - 1].Split(':');
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO bo_accounts (account, phone, pin_hash, cash_fen, frozen_fen) VALUES (@account, @phone, @hash, @cash, 0) ON CONFLICT DO NOTHING",
                new { account, phone, hash = PinHasher.Hash(Pin), cash = Money.ToFen(100_000.00m) }, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO bo_positions (account, code, quantity, frozen) VALUES (@account, '600000', 1000, 0) ON CONFLICT DO NOTHING",
                new { account }, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO bo_bank_links (account, bank_code, bank_name, card_masked, balance_fen) VALUES (@account, @code, @name, @card, @balance) ON CONFLICT DO NOTHING",
                new { account, code = bank[0], name = bank[1], card = "6222****000" + n.ToString(System.Globalization.CultureInfo.InvariantCulture), balance = Money.ToFen(200_000.00m) },
                transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
