using CallCenter.Data;
using CallCenter.FaxSms.Outbox;
using Dapper;

namespace CallCenter.FaxSms.Sms;

/// <summary>Opt-outs (<c>sms_opt_outs</c>) and inbound SMS (<c>inbound_sms</c>): their one writer.</summary>
public sealed class SmsStore(DbConnectionFactory factory)
{
    /// <summary>When and with which keyword <paramref name="number"/> opted out, or null.</summary>
    public async Task<(string Keyword, DateTimeOffset At)?> FindOptOutAsync(string number, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string Keyword, long At)?>(new CommandDefinition(
            "SELECT keyword, at_ms FROM sms_opt_outs WHERE number = @number", new { number }, cancellationToken: cancellationToken));
        return row is { } r ? (r.Keyword, DateTimeOffset.FromUnixTimeMilliseconds(r.At)) : null;
    }

    /// <summary>Which of <paramref name="numbers"/> opted out.</summary>
    public async Task<IReadOnlySet<string>> OptedOutAsync(IReadOnlyCollection<string> numbers, CancellationToken cancellationToken)
    {
        if (numbers.Count == 0)
        {
            return new HashSet<string>();
        }

        await using var connection = await factory.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT number FROM sms_opt_outs WHERE {factory.Dialect.InList("number", "numbers")}", new { numbers = numbers.Distinct().ToArray() }, cancellationToken: cancellationToken))).ToHashSet();
    }

    /// <summary>
    /// Keeps an inbound SMS once (a gateway that retries its call changes nothing) and, in the same
    /// transaction, what it causes: an opt-out and its confirmation SMS. Returns what was done.
    /// </summary>
    public async Task<InboundOutcome> ReceiveAsync(InboundSms sms, OutboundMessage? confirmation, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sms);
        var at = now.ToUnixTimeMilliseconds();
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO inbound_sms (gateway_id, sender, receiver, body, received_at_ms, outcome, reason)
            VALUES (@GatewayId, @Sender, @Receiver, @Body, @at, @Outcome, @Reason)
            ON CONFLICT (gateway_id) DO NOTHING
            """,
            new { sms.GatewayId, sms.Sender, sms.Receiver, sms.Body, at, sms.Outcome, sms.Reason },
            transaction,
            cancellationToken: cancellationToken));
        if (inserted == 0)
        {
            return InboundOutcome.Duplicate;
        }

        if (sms.Outcome == InboundSms.OptOut)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO sms_opt_outs (number, keyword, at_ms) VALUES (@Sender, @keyword, @at) ON CONFLICT (number) DO NOTHING",
                new { sms.Sender, keyword = sms.Body.Trim(), at }, transaction, cancellationToken: cancellationToken));
            if (confirmation is not null)
            {
                await OutboxRepository.EnqueueAsync(connection, transaction, confirmation, now, cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return sms.Outcome == InboundSms.OptOut ? InboundOutcome.OptedOut : InboundOutcome.Kept;
    }

    /// <summary>
    /// The inbound SMS kept, newest first, at most <paramref name="limit"/>; only those of one
    /// <paramref name="outcome"/> (received, opt-out, malformed) when given.
    /// </summary>
    public async Task<IReadOnlyList<StoredInboundSms>> ListInboundAsync(string? outcome, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var where = outcome is null ? "" : "WHERE outcome = @outcome ";
        var rows = await connection.QueryAsync<(long Seq, string GatewayId, string Sender, string Receiver, string Body, long At, string Outcome, string? Reason)>(new CommandDefinition(
            "SELECT seq, gateway_id, sender, receiver, body, received_at_ms, outcome, reason FROM inbound_sms " + where + "ORDER BY seq DESC LIMIT @limit",
            new { outcome, limit = (long)limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new StoredInboundSms(r.Seq, new InboundSms(r.GatewayId, r.Sender, r.Receiver, r.Body, r.Outcome, r.Reason), DateTimeOffset.FromUnixTimeMilliseconds(r.At)))];
    }
}

/// <summary>An inbound SMS as read back: its order of arrival, what was kept, and when.</summary>
public sealed record StoredInboundSms(long Seq, InboundSms Sms, DateTimeOffset ReceivedAt);

/// <summary>An inbound SMS as stored: <see cref="Outcome"/> is received, opt-out or malformed (with <see cref="Reason"/>).</summary>
public sealed record InboundSms(string GatewayId, string Sender, string Receiver, string Body, string Outcome, string? Reason)
{
    public const string Received = "received";
    public const string OptOut = "opt-out";
    public const string Malformed = "malformed";
}

public enum InboundOutcome
{
    Kept,
    OptedOut,
    Duplicate,
}
