using System.Data.Common;
using CallCenter.Data;
using Dapper;

namespace CallCenter.FaxSms.Outbox;

/// <summary>
/// The outbox's rows (table <c>messages</c>) and their history (<c>message_history</c>). The one
/// writer of both: the endpoints and the inbound side enqueue through <see cref="EnqueueAsync"/> in
/// their own transaction, the worker claims and completes, delivery reports move a status on.
/// </summary>
public sealed class OutboxRepository(DbConnectionFactory factory)
{
    private const string Columns = "id AS Id, channel AS Channel, recipient AS Recipient, subject AS Subject, body AS Body, kind AS Kind, attempts AS Attempts, in_reply_to AS InReplyTo, reference_ids AS ReferenceIds";

    /// <summary>
    /// Writes a new queued message in the caller's transaction (so it exists exactly when what caused it does),
    /// due now or at <paramref name="notBefore"/> (a broadcast's rate limit and quiet hours).
    /// </summary>
    public static async Task EnqueueAsync(DbConnection connection, DbTransaction transaction, OutboundMessage message, DateTimeOffset now, CancellationToken cancellationToken, DateTimeOffset? notBefore = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(message);
        var at = now.ToUnixTimeMilliseconds();
        var due = Math.Max(at, notBefore?.ToUnixTimeMilliseconds() ?? at);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO messages (id, channel, recipient, subject, body, kind, status, attempts, next_attempt_at_ms, in_flight_at_ms, last_error, created_at_ms, updated_at_ms, in_reply_to, reference_ids)
            VALUES (@Id, @Channel, @Recipient, @Subject, @Body, @Kind, 'queued', 0, @due, NULL, NULL, @at, @at, @InReplyTo, @References)
            """,
            new { message.Id, message.Channel, message.Recipient, message.Subject, message.Body, message.Kind, at, due, message.InReplyTo, message.References },
            transaction,
            cancellationToken: cancellationToken));
        for (var i = 0; i < (message.Attachments?.Count ?? 0); i++)
        {
            var file = message.Attachments![i];
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO message_attachments (message_id, seq, file_name, content_type, content) VALUES (@Id, @seq, @FileName, @ContentType, @Content)",
                new { message.Id, seq = i, file.FileName, file.ContentType, file.Content },
                transaction,
                cancellationToken: cancellationToken));
        }

        await AddHistoryAsync(connection, transaction, message.Id, at, MessageStatus.Queued, null, cancellationToken);
    }

    /// <summary>Enqueues one message in a transaction of its own.</summary>
    public async Task EnqueueAsync(OutboundMessage message, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await EnqueueAsync(connection, transaction, message, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    // PostgreSQL, shared by a cluster's nodes: the due rows are locked as they are read, and rows another node's claim
    // holds locked are skipped, so two nodes claiming at once never both take (and send) one message; once that claim
    // commits its rows are in flight and no longer due. SQLite: a write transaction holds the database's write lock.
    private string SkipClaimed => factory.Dialect == SqlDialect.Postgres ? " FOR UPDATE SKIP LOCKED" : "";

    /// <summary>
    /// Claims up to <paramref name="limit"/> due messages for sending: marks them in flight and counts
    /// the attempt. A message another run left in flight is claimed again only when it was marked
    /// before <paramref name="uncertainBefore"/> (its delivery report had that long to settle it).
    /// Two claims at once (two nodes on one PostgreSQL) never take the same message.
    /// </summary>
    public async Task<IReadOnlyList<OutboundMessage>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset uncertainBefore, int limit, IReadOnlyList<string> channels, CancellationToken cancellationToken)
    {
        var at = now.ToUnixTimeMilliseconds();
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var due = (await connection.QueryAsync<(string Id, long? InFlightAt)>(new CommandDefinition(
            $"""
            SELECT id, in_flight_at_ms FROM messages
            WHERE status = 'queued' AND {factory.Dialect.InList("channel", "channels")} AND next_attempt_at_ms <= @at AND (in_flight_at_ms IS NULL OR in_flight_at_ms < @uncertain)
            ORDER BY next_attempt_at_ms, created_at_ms
            LIMIT @limit{SkipClaimed}
            """,
            new { at, uncertain = uncertainBefore.ToUnixTimeMilliseconds(), limit, channels = channels.ToArray() },
            transaction,
            cancellationToken: cancellationToken))).ToList();
        if (due.Count == 0)
        {
            return [];
        }

        var ids = due.Select(d => d.Id).ToArray();
        await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE messages SET in_flight_at_ms = @at, attempts = attempts + 1, updated_at_ms = @at WHERE {factory.Dialect.InList("id", "ids")}",
            new { at, ids },
            transaction,
            cancellationToken: cancellationToken));
        foreach (var (id, _) in due.Where(d => d.InFlightAt is not null))
        {
            await AddHistoryAsync(connection, transaction, id, at, MessageStatus.Queued,
                "sent again: the run that sent it stopped before the gateway's answer was recorded, and no delivery report came", cancellationToken);
        }

        var claimed = (await connection.QueryAsync<MessageRow>(new CommandDefinition(
            $"SELECT {Columns} FROM messages WHERE {factory.Dialect.InList("id", "ids")}", new { ids }, transaction, cancellationToken: cancellationToken))).ToList();
        var emailIds = claimed.Where(m => m.Channel == MessageChannel.Email).Select(m => m.Id).ToArray();
        var files = emailIds.Length == 0
            ? Array.Empty<MessageAttachment>().ToLookup(_ => "")
            : (await connection.QueryAsync<(string MessageId, string FileName, string ContentType, byte[] Content)>(new CommandDefinition(
                $"SELECT message_id, file_name, content_type, content FROM message_attachments WHERE {factory.Dialect.InList("message_id", "emailIds")} ORDER BY message_id, seq",
                new { emailIds },
                transaction,
                cancellationToken: cancellationToken))).ToLookup(f => f.MessageId, f => new MessageAttachment(f.FileName, f.ContentType, f.Content));
        await transaction.CommitAsync(cancellationToken);
        return [.. claimed.OrderBy(m => Array.IndexOf(ids, m.Id)).Select(r => new OutboundMessage(
            r.Id, r.Channel, r.Recipient, r.Subject, r.Body, r.Kind, (int)r.Attempts, r.InReplyTo, r.ReferenceIds, files.Contains(r.Id) ? [.. files[r.Id]] : null))];
    }

    /// <summary>Records the outcomes of a batch of attempts in one transaction.</summary>
    public async Task CompleteAsync(IReadOnlyList<AttemptOutcome> outcomes, CancellationToken cancellationToken) =>
        await WriteStatusesAsync(outcomes, [], cancellationToken);

    /// <summary>
    /// A delivery report: <paramref name="status"/> is sent (the SMSC took it), delivered or failed. A
    /// report never moves a message back (a late "sent" after "delivered" only joins the history), and
    /// a report for a message still marked queued settles it, so it is not sent again. False for an unknown id.
    /// </summary>
    public async Task<bool> ApplyReportAsync(string id, string status, string detail, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await ApplyReportsAsync([new DeliveryReport(id, status, detail, now)], cancellationToken))[0];

    /// <summary>Several reports in one transaction (one commit for all), in order; for each, whether its message exists.</summary>
    public Task<bool[]> ApplyReportsAsync(IReadOnlyList<DeliveryReport> reports, CancellationToken cancellationToken) =>
        WriteStatusesAsync([], reports, cancellationToken);

    /// <summary>
    /// Attempt outcomes, then delivery reports, in one transaction (one commit, so one sync of SQLite's
    /// log, for all). Each statement is prepared once for the batch and run with new values, and the
    /// reported messages' statuses are read in one query: a batch costs a few statements' planning, not
    /// a few per message. Returns, for each report, whether its message exists.
    /// </summary>
    /// <remarks>
    /// Either order gives the same end: an outcome "sent" moves only a queued message (a report may have
    /// settled it first), and a report never moves a status back (<see cref="MessageStatusOrder"/>).
    /// </remarks>
    public async Task<bool[]> WriteStatusesAsync(IReadOnlyList<AttemptOutcome> outcomes, IReadOnlyList<DeliveryReport> reports, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(reports);
        var known = new bool[reports.Count];
        if (outcomes.Count == 0 && reports.Count == 0)
        {
            return known;
        }

        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var statements = new StatusStatements(connection, transaction);
        foreach (var outcome in outcomes)
        {
            var at = outcome.At.ToUnixTimeMilliseconds();
            switch (outcome)
            {
                case AttemptOutcome.Sent sent:
                    // A delivery report may have come first (it moved the status on and wrote "sent" itself).
                    if (await statements.MarkSentAsync(sent.Id, at, cancellationToken) > 0)
                    {
                        await statements.AddHistoryAsync(sent.Id, at, MessageStatus.Sent, sent.Detail, cancellationToken);
                    }
                    else
                    {
                        await statements.ClearInFlightAsync(sent.Id, cancellationToken);
                    }

                    break;
                case AttemptOutcome.Retry retry:
                    await statements.MarkRetryAsync(retry.Id, retry.Reason, retry.NextAttemptAt.ToUnixTimeMilliseconds(), at, cancellationToken);
                    await statements.AddHistoryAsync(retry.Id, at, MessageStatus.Queued, $"attempt failed, next at {retry.NextAttemptAt:u}: {retry.Reason}", cancellationToken);
                    break;
                case AttemptOutcome.Failed failed:
                    if (await statements.MarkFailedAsync(failed.Id, failed.Reason, at, cancellationToken) > 0)
                    {
                        await statements.AddHistoryAsync(failed.Id, at, MessageStatus.Failed, failed.Reason, cancellationToken);
                    }

                    break;
            }
        }

        if (reports.Count > 0)
        {
            // Read after the outcomes above, in the same transaction: the statuses as they now stand.
            var ids = reports.Select(r => r.Id).Distinct().ToArray();
            var current = (await connection.QueryAsync<(string Id, string Status)>(new CommandDefinition(
                $"SELECT id, status FROM messages WHERE {factory.Dialect.InList("id", "ids")}", new { ids }, transaction, cancellationToken: cancellationToken)))
                .ToDictionary(r => r.Id, r => r.Status, StringComparer.Ordinal);
            for (var i = 0; i < reports.Count; i++)
            {
                var (id, status, detail, now) = reports[i];
                if (!current.TryGetValue(id, out var before))
                {
                    continue;
                }

                known[i] = true;
                var at = now.ToUnixTimeMilliseconds();
                var next = MessageStatusOrder.AfterReport(before, status);
                if (before == MessageStatus.Queued && next != MessageStatus.Queued && status != MessageStatus.Sent)
                {
                    await statements.AddHistoryAsync(id, at, MessageStatus.Sent, "the gateway took it (known from its delivery report)", cancellationToken);
                }

                await statements.SetStatusAsync(id, next, at, cancellationToken);
                await statements.AddHistoryAsync(id, at, status, detail, cancellationToken);
                current[id] = next;
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return known;
    }

    /// <summary>A message with its history, or null.</summary>
    public async Task<MessageView?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string Id, string Channel, string Recipient, string? Subject, string Status, long Attempts, string? LastError, long CreatedAt)>(new CommandDefinition(
            "SELECT id, channel, recipient, subject, status, CAST(attempts AS BIGINT), last_error, created_at_ms FROM messages WHERE id = @id",
            new { id }, cancellationToken: cancellationToken));
        if (row.Id is null)
        {
            return null;
        }

        var history = await connection.QueryAsync<(long At, string Status, string? Detail)>(new CommandDefinition(
            "SELECT at_ms, status, detail FROM message_history WHERE message_id = @id ORDER BY seq",
            new { id }, cancellationToken: cancellationToken));
        return new MessageView(row.Id, row.Channel, row.Recipient, row.Subject, row.Status, (int)row.Attempts, row.LastError,
            DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt),
            [.. history.Select(h => new MessageHistoryEntry(DateTimeOffset.FromUnixTimeMilliseconds(h.At), h.Status, h.Detail))]);
    }

    private static Task AddHistoryAsync(DbConnection connection, DbTransaction transaction, string id, long at, string status, string? detail, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO message_history (message_id, at_ms, status, detail) VALUES (@id, @at, @status, @detail)",
            new { id, at, status, detail }, transaction, cancellationToken: cancellationToken));

    /// <summary>A row as both providers return it (SQLite's integers are 64-bit).</summary>
    private sealed class MessageRow
    {
        public string Id { get; set; } = "";

        public string Channel { get; set; } = "";

        public string Recipient { get; set; } = "";

        public string? Subject { get; set; }

        public string Body { get; set; } = "";

        public string Kind { get; set; } = "";

        public long Attempts { get; set; }

        public string? InReplyTo { get; set; }

        public string? ReferenceIds { get; set; }
    }
}
