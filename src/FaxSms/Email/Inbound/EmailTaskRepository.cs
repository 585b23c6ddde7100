using System.Data.Common;
using CallCenter.Data;
using CallCenter.FaxSms.Outbox;
using Dapper;

namespace CallCenter.FaxSms.Email.Inbound;

/// <summary>
/// The inbound mail's rows: the reader's place in each mailbox (<c>imap_state</c>), each mail read
/// (<c>email_tasks</c>, <c>email_attachments</c>), the routing of tasks to agents and the agents' replies.
/// A mail, its acknowledgement and the reader's new place are written in one transaction, so a crash
/// either keeps all three or none, and a mail read again after it is found by Message-ID or UID and skipped.
/// </summary>
public sealed class EmailTaskRepository(DbConnectionFactory factory)
{
    /// <summary>The stored UIDVALIDITY and last UID read, or null for a mailbox never read.</summary>
    public async Task<(long UidValidity, long LastUid)?> GetStateAsync(string mailbox, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long, long)>(new CommandDefinition(
            "SELECT uid_validity, last_uid FROM imap_state WHERE mailbox = @mailbox", new { mailbox }, cancellationToken: cancellationToken));
        return rows.Select(r => ((long, long)?)r).FirstOrDefault();
    }

    /// <summary>Starts a mailbox (again) at a new UIDVALIDITY: nothing of it read yet (RFC 3501 section 2.3.1.1).</summary>
    public async Task ResetStateAsync(string mailbox, long uidValidity, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO imap_state (mailbox, uid_validity, last_uid, updated_at_ms) VALUES (@mailbox, @uidValidity, 0, @at)
            ON CONFLICT (mailbox) DO UPDATE SET uid_validity = @uidValidity, last_uid = 0, updated_at_ms = @at
            """,
            new { mailbox, uidValidity, at = now.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Stores one mail read at its UID, with its acknowledgement when <see cref="MailAcknowledgement"/> asks
    /// for one, and moves the mailbox's last UID on. Returns the stored task, or null when that Message-ID or
    /// UID was stored before (a restart or a new UIDVALIDITY reading it again).
    /// </summary>
    public async Task<EmailTask?> StoreAsync(ReadMail read, string? ownAddress, bool acknowledge, TimeSpan acknowledgeWindow, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var at = now.ToUnixTimeMilliseconds();
        var mail = read.Mail;
        var messageId = mail?.MessageId ?? read.FallbackMessageId;
        var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM email_tasks WHERE message_id = @messageId OR (mailbox = @Mailbox AND uid_validity = @UidValidity AND uid = @Uid)",
            new { messageId, read.Mailbox, read.UidValidity, read.Uid }, transaction, cancellationToken: cancellationToken));
        EmailTask? stored = null;
        if (exists == 0)
        {
            stored = await InsertAsync(connection, transaction, read, messageId, ownAddress, acknowledge, acknowledgeWindow, now, cancellationToken);
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO imap_state (mailbox, uid_validity, last_uid, updated_at_ms) VALUES (@Mailbox, @UidValidity, @Uid, @at)
            ON CONFLICT (mailbox) DO UPDATE SET last_uid = @Uid, updated_at_ms = @at WHERE imap_state.uid_validity = @UidValidity AND imap_state.last_uid < @Uid
            """,
            new { read.Mailbox, read.UidValidity, read.Uid, at }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    private static async Task<EmailTask> InsertAsync(DbConnection connection, DbTransaction transaction, ReadMail read, string messageId, string? ownAddress, bool acknowledge, TimeSpan acknowledgeWindow, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var at = now.ToUnixTimeMilliseconds();
        var mail = read.Mail;
        var optOut = mail is null ? null : EmailOptOut.Keyword(mail);
        var outcome = mail is null ? InboundMailOutcome.Malformed
            : mail.AutomaticReason is not null ? InboundMailOutcome.Ignored
            : optOut is not null ? InboundMailOutcome.OptOut
            : InboundMailOutcome.Task;
        var status = outcome switch
        {
            InboundMailOutcome.Task => EmailTaskStatus.Waiting,
            InboundMailOutcome.Ignored => EmailTaskStatus.Ignored,
            InboundMailOutcome.OptOut => EmailTaskStatus.OptedOut,
            _ => EmailTaskStatus.Malformed,
        };
        var reason = mail is null ? read.MalformedReason : mail.AutomaticReason ?? (optOut is null ? null : $"opt-out \"{optOut}\": no more e-mail broadcasts to this address");
        var sender = mail?.FromAddress ?? "";
        var client = mail is null ? null : (await connection.QueryAsync<(string Phone, string Tier)>(new CommandDefinition(
            "SELECT phone, tier FROM clients WHERE email = @sender ORDER BY phone LIMIT 1", new { sender }, transaction, cancellationToken: cancellationToken)))
            .Select(c => ((string Phone, string Tier)?)c).FirstOrDefault();

        string? ackId = null;
        if (outcome == InboundMailOutcome.OptOut)
        {
            // The opt-out, and its confirmation (when mail can be sent, never to ourselves), with the mail.
            await EmailOptOuts.AddAsync(connection, transaction, sender, optOut!, "mail", now, cancellationToken);
            if (ownAddress is not null && !string.Equals(sender, ownAddress, StringComparison.OrdinalIgnoreCase))
            {
                var confirmation = EmailOptOut.Confirmation(mail!, MessageRequest.NewId());
                await OutboxRepository.EnqueueAsync(connection, transaction, confirmation, now, cancellationToken);
                ackId = confirmation.Id;
            }
        }
        else if (mail is not null && acknowledge && ownAddress is not null)
        {
            var lastAck = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT MAX(received_at_ms) FROM email_tasks WHERE sender = @sender AND ack_id IS NOT NULL", new { sender }, transaction, cancellationToken: cancellationToken));
            var ack = MailAcknowledgement.Decide(mail, outcome, ownAddress, lastAck is { } l ? DateTimeOffset.FromUnixTimeMilliseconds(l) : null, now, acknowledgeWindow, MessageRequest.NewId());
            if (ack is not null)
            {
                await OutboxRepository.EnqueueAsync(connection, transaction, ack, now, cancellationToken);
                ackId = ack.Id;
            }
        }

        var id = "mail-" + Guid.NewGuid().ToString("N");
        var references = mail is null ? null : string.Join(' ', mail.References);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO email_tasks (id, mailbox, uid_validity, uid, message_id, sender, sender_name, subject, body, in_reply_to, reference_ids,
                client_phone, tier, tier_rank, status, reason, agent, reply_id, ack_id, received_at_ms, offered_at_ms, closed_at_ms)
            VALUES (@id, @Mailbox, @UidValidity, @Uid, @messageId, @sender, @senderName, @subject, @body, @inReplyTo, @references,
                @phone, @tier, @rank, @status, @reason, NULL, NULL, @ackId, @at, NULL, NULL)
            """,
            new
            {
                id,
                read.Mailbox,
                read.UidValidity,
                read.Uid,
                messageId,
                sender,
                senderName = mail?.FromName,
                subject = mail?.Subject ?? "",
                body = mail?.Text ?? "",
                inReplyTo = mail?.InReplyTo,
                references = string.IsNullOrEmpty(references) ? null : references,
                phone = client?.Phone,
                tier = client?.Tier,
                rank = EmailTaskRouting.TierRank(client?.Tier),
                status,
                reason,
                ackId,
                at,
            },
            transaction,
            cancellationToken: cancellationToken));
        var attachments = mail?.Attachments ?? [];
        for (var i = 0; i < attachments.Count; i++)
        {
            var a = attachments[i];
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO email_attachments (task_id, seq, file_name, content_type, size, content) VALUES (@id, @seq, @FileName, @ContentType, @Size, @Content)",
                new { id, seq = i + 1, a.FileName, a.ContentType, a.Size, a.Content }, transaction, cancellationToken: cancellationToken));
        }

        return new EmailTask(id, messageId, sender, mail?.FromName, mail?.Subject ?? "", mail?.Text ?? "", mail?.InReplyTo, references, client?.Phone, client?.Tier,
            status, reason, null, null, ackId, now, null, null,
            [.. attachments.Select((a, i) => new EmailAttachmentInfo(i + 1, a.FileName, a.ContentType, a.Size, a.Content is not null))]);
    }

    /// <summary>
    /// Offers waiting tasks to available agents with the email skill (<see cref="EmailTaskRouting.Assign"/>);
    /// returns the offers made. <paramref name="states"/> is each agent's presence (null: presence is not
    /// known to this process, and every agent counts as available). An agent who passed on a task is not
    /// offered it again within <paramref name="hold"/>.
    /// </summary>
    public async Task<IReadOnlyList<(string TaskId, string Agent)>> OfferWaitingAsync(DateTimeOffset now, IReadOnlyDictionary<string, string>? states, TimeSpan hold, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var waiting = (await connection.QueryAsync<(string Id, long Rank, long At, string? Manager, string? PassedBy, long? PassedAt)>(new CommandDefinition(
            // The client's account manager is preferred, unless the client denied them on a new-account call.
            $"""
            SELECT t.id, CAST(t.tier_rank AS BIGINT), t.received_at_ms, {CallCenter.Data.Clients.ManagerDenial.RoutableManager("c")}, t.passed_by, t.passed_at_ms FROM email_tasks t
            LEFT JOIN clients c ON c.phone = t.client_phone
            WHERE t.status = 'waiting' ORDER BY t.tier_rank, t.received_at_ms LIMIT 200
            """, transaction: transaction, cancellationToken: cancellationToken))).ToList();
        if (waiting.Count == 0)
        {
            return [];
        }

        var agents = (await connection.QueryAsync<(string Extension, string Skills, long Busy, long? LastEnded)>(new CommandDefinition(
            """
            SELECT a.extension, a.skills,
                (SELECT COUNT(*) FROM email_tasks t WHERE t.agent = a.extension AND t.status = 'offered'),
                (SELECT MAX(t.closed_at_ms) FROM email_tasks t WHERE t.agent = a.extension)
            FROM agents a WHERE a.kind = 'agent'
            """, transaction: transaction, cancellationToken: cancellationToken))).ToList();
        var offers = EmailTaskRouting.Assign(
            waiting.Select(w => new WaitingTask(w.Id, (int)w.Rank, DateTimeOffset.FromUnixTimeMilliseconds(w.At), w.Manager, w.PassedBy, w.PassedAt is { } p ? DateTimeOffset.FromUnixTimeMilliseconds(p) : null)),
            agents.Select(a => new EmailAgent(a.Extension, a.Skills, a.Busy > 0, a.LastEnded is { } e ? DateTimeOffset.FromUnixTimeMilliseconds(e) : null,
                states is null || states.GetValueOrDefault(a.Extension) == EmailTaskRouting.Available)),
            now,
            hold);
        var made = new List<(string, string)>();
        foreach (var (taskId, agent) in offers)
        {
            var changed = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE email_tasks SET status = 'offered', agent = @agent, offered_at_ms = @at, accepted_at_ms = NULL, offers = offers + 1 WHERE id = @taskId AND status = 'waiting'",
                new { taskId, agent, at = now.ToUnixTimeMilliseconds() }, transaction, cancellationToken: cancellationToken));
            if (changed == 1)
            {
                made.Add((taskId, agent));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return made;
    }

    /// <summary>
    /// Takes back the offers <see cref="EmailTaskRouting.Withdraw"/> names (the agent away, offline, or too
    /// slow to accept): each task waits again, remembering who passed on it and why. Each change is
    /// conditional on the offer still being the same, so an answer sent meanwhile is never undone.
    /// </summary>
    public async Task<IReadOnlyList<Withdrawal>> WithdrawAsync(IReadOnlyDictionary<string, string> states, DateTimeOffset now, TimeSpan acceptWithin, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var offered = (await connection.QueryAsync<(string Id, string Agent, long OfferedAt, long? AcceptedAt)>(new CommandDefinition(
            "SELECT id, agent, offered_at_ms, accepted_at_ms FROM email_tasks WHERE status = 'offered' AND agent IS NOT NULL",
            cancellationToken: cancellationToken)))
            .Select(o => new OfferedTask(o.Id, o.Agent, DateTimeOffset.FromUnixTimeMilliseconds(o.OfferedAt), o.AcceptedAt is { } a ? DateTimeOffset.FromUnixTimeMilliseconds(a) : null))
            .ToList();
        var done = new List<Withdrawal>();
        foreach (var withdrawal in EmailTaskRouting.Withdraw(offered, states, now, acceptWithin))
        {
            var task = offered.First(o => o.Id == withdrawal.TaskId);
            if (await PassAsync(connection, task.Id, task.Agent, task.OfferedAt, withdrawal.Reason, now, cancellationToken))
            {
                done.Add(withdrawal);
            }
        }

        return done;
    }

    /// <summary>The accepted tasks not yet answered or given back, by agent (an agent holds at most one).</summary>
    public async Task<IReadOnlyDictionary<string, string>> AcceptedByAgentAsync(CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Agent, string Id)>(new CommandDefinition(
            "SELECT agent, id FROM email_tasks WHERE status = 'offered' AND accepted_at_ms IS NOT NULL AND agent IS NOT NULL ORDER BY accepted_at_ms",
            cancellationToken: cancellationToken));
        var held = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (agent, id) in rows)
        {
            held.TryAdd(agent, id);
        }

        return held;
    }

    /// <summary>The agent takes the task offered to them: it stays theirs while they are signed in. Null when done, else the reason.</summary>
    public async Task<string?> AcceptAsync(string taskId, string agent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE email_tasks SET accepted_at_ms = COALESCE(accepted_at_ms, @at) WHERE id = @taskId AND status = 'offered' AND agent = @agent",
            new { taskId, agent, at = now.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
        return changed == 1 ? null : await NotOfferedAsync(connection, taskId, agent, cancellationToken);
    }

    /// <summary>The agent declines the task offered to them (accepted or not): it waits for another agent. Null when done, else the reason.</summary>
    public async Task<string?> DeclineAsync(string taskId, string agent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var offeredAt = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT offered_at_ms FROM email_tasks WHERE id = @taskId AND status = 'offered' AND agent = @agent",
            new { taskId, agent }, cancellationToken: cancellationToken));
        return offeredAt is { } at && await PassAsync(connection, taskId, agent, DateTimeOffset.FromUnixTimeMilliseconds(at), $"declined by agent {agent}", now, cancellationToken)
            ? null
            : await NotOfferedAsync(connection, taskId, agent, cancellationToken);
    }

    /// <summary>The offer of <paramref name="taskId"/> to <paramref name="agent"/> made at <paramref name="offeredAt"/> ends: the task waits again.</summary>
    private static async Task<bool> PassAsync(DbConnection connection, string taskId, string agent, DateTimeOffset offeredAt, string reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE email_tasks SET status = 'waiting', agent = NULL, offered_at_ms = NULL, accepted_at_ms = NULL,
                passed_by = @agent, passed_at_ms = @at, reason = @reason
            WHERE id = @taskId AND status = 'offered' AND agent = @agent AND offered_at_ms = @offeredAt
            """,
            new { taskId, agent, reason, offeredAt = offeredAt.ToUnixTimeMilliseconds(), at = now.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken)) == 1;

    private static async Task<string> NotOfferedAsync(DbConnection connection, string taskId, string agent, CancellationToken cancellationToken)
    {
        var task = await GetAsync(connection, null, taskId, cancellationToken);
        return task is null
            ? $"No e-mail task {taskId}."
            : $"E-mail task {taskId} is {task.Status}{(task.Agent is null ? "" : " with agent " + task.Agent)}, not offered to agent {agent}.";
    }

    /// <summary>
    /// The agent's answer: queued in the outbox as an e-mail threaded under the client's mail (In-Reply-To,
    /// References), and the task closed, in one transaction. Returns the outbox id, or the reason it is refused.
    /// </summary>
    public async Task<(string? MessageId, string? Error)> ReplyAsync(string taskId, string agent, string text, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var task = await GetAsync(connection, transaction, taskId, cancellationToken);
        if (task is null)
        {
            return (null, $"No e-mail task {taskId}.");
        }

        if (task.Status != EmailTaskStatus.Offered || task.Agent != agent)
        {
            return (null, $"E-mail task {taskId} is {task.Status}{(task.Agent is null ? "" : " with agent " + task.Agent)}; only the agent it is offered to may answer it.");
        }

        var mail = new InboundMail(task.MessageId, task.Sender, task.SenderName, task.Subject, task.Body, task.InReplyTo,
            (task.References ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries), [], null);
        var reply = new OutboundMessage(MessageRequest.NewId(), MessageChannel.Email, task.Sender, MailAcknowledgement.ReplySubject(task.Subject), text,
            MessageKind.MailReply, 0, task.MessageId, MailAcknowledgement.Thread(mail));
        await OutboxRepository.EnqueueAsync(connection, transaction, reply, now, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE email_tasks SET status = 'closed', reply_id = @replyId, closed_at_ms = @at WHERE id = @taskId",
            new { taskId, replyId = reply.Id, at = now.ToUnixTimeMilliseconds() }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return (reply.Id, null);
    }

    public async Task<EmailTask?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await GetAsync(connection, null, id, cancellationToken);
    }

    /// <summary>Tasks newest first, optionally of one status and/or one agent.</summary>
    public async Task<IReadOnlyList<EmailTask>> ListAsync(string? status, string? agent, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        // Only the filters given: PostgreSQL cannot type a parameter that is only compared with NULL.
        var where = (status is null ? "" : " AND status = @status") + (agent is null ? "" : " AND agent = @agent");
        var rows = await connection.QueryAsync<TaskRow>(new CommandDefinition(
            $"SELECT {Columns} FROM email_tasks WHERE 1 = 1{where} ORDER BY received_at_ms DESC, id LIMIT @limit",
            new { status, agent, limit }, cancellationToken: cancellationToken));
        var list = new List<EmailTask>();
        foreach (var row in rows)
        {
            list.Add(row.ToTask(await AttachmentsAsync(connection, null, row.Id, cancellationToken)));
        }

        return list;
    }

    private const string Columns =
        "id AS Id, message_id AS MessageId, sender AS Sender, sender_name AS SenderName, subject AS Subject, body AS Body, in_reply_to AS InReplyTo, " +
        "reference_ids AS ReferenceIds, client_phone AS ClientPhone, tier AS Tier, status AS Status, reason AS Reason, agent AS Agent, reply_id AS ReplyId, " +
        "ack_id AS AckId, received_at_ms AS ReceivedAt, offered_at_ms AS OfferedAt, closed_at_ms AS ClosedAt, " +
        "accepted_at_ms AS AcceptedAt, passed_by AS PassedBy, CAST(offers AS BIGINT) AS Offers";

    private static async Task<EmailTask?> GetAsync(DbConnection connection, DbTransaction? transaction, string id, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<TaskRow>(new CommandDefinition(
            $"SELECT {Columns} FROM email_tasks WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        return row?.ToTask(await AttachmentsAsync(connection, transaction, id, cancellationToken));
    }

    private static async Task<IReadOnlyList<EmailAttachmentInfo>> AttachmentsAsync(DbConnection connection, DbTransaction? transaction, string id, CancellationToken cancellationToken) =>
        [.. (await connection.QueryAsync<(long Seq, string FileName, string ContentType, long Size, long Kept)>(new CommandDefinition(
            "SELECT CAST(seq AS BIGINT), file_name, content_type, size, CAST(CASE WHEN content IS NULL THEN 0 ELSE 1 END AS BIGINT) FROM email_attachments WHERE task_id = @id ORDER BY seq",
            new { id }, transaction, cancellationToken: cancellationToken)))
            .Select(a => new EmailAttachmentInfo((int)a.Seq, a.FileName, a.ContentType, a.Size, a.Kept != 0))];

    /// <summary>A row as both providers return it.</summary>
    private sealed class TaskRow
    {
        public string Id { get; set; } = "";

        public string MessageId { get; set; } = "";

        public string Sender { get; set; } = "";

        public string? SenderName { get; set; }

        public string Subject { get; set; } = "";

        public string Body { get; set; } = "";

        public string? InReplyTo { get; set; }

        public string? ReferenceIds { get; set; }

        public string? ClientPhone { get; set; }

        public string? Tier { get; set; }

        public string Status { get; set; } = "";

        public string? Reason { get; set; }

        public string? Agent { get; set; }

        public string? ReplyId { get; set; }

        public string? AckId { get; set; }

        public long ReceivedAt { get; set; }

        public long? OfferedAt { get; set; }

        public long? ClosedAt { get; set; }

        public long? AcceptedAt { get; set; }

        public string? PassedBy { get; set; }

        public long Offers { get; set; }

        public EmailTask ToTask(IReadOnlyList<EmailAttachmentInfo> attachments) => new(
            Id, MessageId, Sender, SenderName, Subject, Body, InReplyTo, ReferenceIds, ClientPhone, Tier, Status, Reason, Agent, ReplyId, AckId,
            DateTimeOffset.FromUnixTimeMilliseconds(ReceivedAt),
            OfferedAt is { } o ? DateTimeOffset.FromUnixTimeMilliseconds(o) : null,
            ClosedAt is { } c ? DateTimeOffset.FromUnixTimeMilliseconds(c) : null,
            attachments)
        {
            AcceptedAt = AcceptedAt is { } a ? DateTimeOffset.FromUnixTimeMilliseconds(a) : null,
            PassedBy = PassedBy,
            Offers = (int)Offers,
        };
    }
}
