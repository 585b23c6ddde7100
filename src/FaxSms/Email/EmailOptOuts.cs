using System.Data.Common;
using CallCenter.Data;
using Dapper;

namespace CallCenter.FaxSms.Email;

/// <summary>An address that stopped e-mail broadcasts: how (the keyword, or "api") and by what (<c>mail</c> or <c>api:&lt;user&gt;</c>), and when.</summary>
public sealed record EmailOptOutEntry(string Address, string Keyword, string Source, DateTimeOffset At);

/// <summary>
/// The one writer of <c>email_opt_outs</c> (0016). An opt-out by mail is written in the transaction that
/// stores the mail and queues its confirmation (<see cref="AddAsync(DbConnection, DbTransaction, string, string, string, DateTimeOffset, CancellationToken)"/>);
/// an operator adds or removes one through /api/email-opt-outs. Addresses are kept as <see cref="EmailOptOut.Address"/> makes them.
/// </summary>
public sealed class EmailOptOuts(DbConnectionFactory factory)
{
    /// <summary>Records an opt-out in the caller's transaction; true when it is new.</summary>
    public static async Task<bool> AddAsync(DbConnection connection, DbTransaction transaction, string address, string keyword, string source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO email_opt_outs (address, keyword, source, at_ms) VALUES (@address, @keyword, @source, @at) ON CONFLICT (address) DO NOTHING",
            new { address = EmailOptOut.Address(address), keyword, source, at = now.ToUnixTimeMilliseconds() }, transaction, cancellationToken: cancellationToken)) == 1;
    }

    public async Task<bool> AddAsync(string address, string keyword, string source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var added = await AddAsync(connection, transaction, address, keyword, source, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    /// <summary>Lets the address receive e-mail broadcasts again; false when it had not opted out.</summary>
    public async Task<bool> RemoveAsync(string address, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM email_opt_outs WHERE address = @address", new { address = EmailOptOut.Address(address) }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task<EmailOptOutEntry?> FindAsync(string address, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string Address, string Keyword, string Source, long At)?>(new CommandDefinition(
            "SELECT address, keyword, source, at_ms FROM email_opt_outs WHERE address = @address", new { address = EmailOptOut.Address(address) }, cancellationToken: cancellationToken));
        return row is { } r ? new EmailOptOutEntry(r.Address, r.Keyword, r.Source, DateTimeOffset.FromUnixTimeMilliseconds(r.At)) : null;
    }

    public async Task<IReadOnlyList<EmailOptOutEntry>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Address, string Keyword, string Source, long At)>(new CommandDefinition(
            "SELECT address, keyword, source, at_ms FROM email_opt_outs ORDER BY at_ms DESC, address LIMIT @limit", new { limit = (long)limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new EmailOptOutEntry(r.Address, r.Keyword, r.Source, DateTimeOffset.FromUnixTimeMilliseconds(r.At)))];
    }

    /// <summary>Which of <paramref name="recipients"/> (any mailbox form) opted out, as bare lower-case addresses.</summary>
    public async Task<IReadOnlySet<string>> OptedOutAsync(IReadOnlyCollection<string> recipients, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        if (recipients.Count == 0)
        {
            return new HashSet<string>();
        }

        await using var connection = await factory.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT address FROM email_opt_outs WHERE {factory.Dialect.InList("address", "addresses")}",
            new { addresses = recipients.Select(EmailOptOut.Address).Distinct().ToArray() }, cancellationToken: cancellationToken))).ToHashSet();
    }
}
