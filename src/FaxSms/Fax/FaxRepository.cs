using CallCenter.Data;
using Dapper;

namespace CallCenter.FaxSms.Fax;

/// <summary>
/// The one writer of <c>faxes</c> (0018). Inbound: <see cref="StartInboundAsync"/> when the fax call is
/// answered, <see cref="FinishAsync"/> with the result (an upsert, so a result is kept even if the
/// first write failed). Outbound: <see cref="EnqueueAsync"/> (rendered already), or <see cref="QueueToRenderAsync"/>
/// ("rendering": the PDF kept, its TIFF-F still to make), <see cref="ClaimRenderAsync"/> and <see cref="RenderedAsync"/>
/// or <see cref="RenderFailedAsync"/>; then <see cref="ClaimDueAsync"/> and <see cref="FinishAsync"/>. Each claim takes
/// one row at a time, conditional on the state it read, so two workers never take the same fax, and names the node that
/// holds it (<c>claimed_by</c>, <see cref="FaxNode"/>; the claim's time is <c>updated_at_ms</c>, which nothing else
/// writes while the claim lasts): a start queues again only its own node's claims (<see cref="RequeueInterruptedAsync"/>),
/// and a claim older than any attempt is taken back by whichever worker sees it (<see cref="TakeBackStaleClaimsAsync"/>).
/// </summary>
public sealed class FaxRepository(DbConnectionFactory factory, FaxNode? node = null)
{
    private readonly FaxNode _node = node ?? FaxNode.Alone;

    private const string Columns = """
        id AS Id, direction AS Direction, status AS Status, remote AS Remote, local_number AS LocalNumber,
        call_id AS CallId, pages AS Pages, document_pages AS DocumentPages, bit_rate AS BitRate, ecm AS Ecm,
        result_code AS ResultCode, result_text AS ResultText, tiff_path AS TiffPath, pdf_path AS PdfPath,
        attempts AS Attempts, next_attempt_at_ms AS NextAttemptAtMs, created_at_ms AS CreatedAtMs, updated_at_ms AS UpdatedAtMs,
        handled_at_ms AS HandledAtMs, handled_by AS HandledBy, remote_verified AS RemoteVerified, claimed_by AS ClaimedBy
        """;

    /// <summary>The node this repository claims faxes as.</summary>
    public FaxNode Node => _node;

    public async Task StartInboundAsync(string id, string? callId, string remote, bool remoteVerified, string localNumber, string tiffPath, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO faxes (id, direction, status, remote, remote_verified, local_number, call_id, tiff_path, created_at_ms, updated_at_ms)
            VALUES (@id, @direction, @status, @remote, @remoteVerified, @localNumber, @callId, @tiffPath, @now, @now)
            ON CONFLICT (id) DO NOTHING
            """,
            new { id, direction = FaxStatus.Inbound, status = FaxStatus.Receiving, remote, remoteVerified = remoteVerified ? 1 : 0, localNumber, callId, tiffPath, now = now.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
    }

    /// <summary>An outbound fax, its document already rendered to <paramref name="tiffPath"/>, due at once.</summary>
    public async Task EnqueueAsync(string id, string to, string localNumber, string pdfPath, string tiffPath, int documentPages, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO faxes (id, direction, status, remote, local_number, document_pages, tiff_path, pdf_path, next_attempt_at_ms, created_at_ms, updated_at_ms)
            VALUES (@id, @direction, @status, @to, @localNumber, @documentPages, @tiffPath, @pdfPath, @now, @now, @now)
            """,
            new { id, direction = FaxStatus.Outbound, status = FaxStatus.Queued, to, localNumber, documentPages, tiffPath, pdfPath, now = now.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// An outbound fax whose document (at <paramref name="pdfPath"/>) is still to be rendered to <paramref name="tiffPath"/>:
    /// "rendering", due for its render at once (<see cref="ClaimRenderAsync"/>). <paramref name="alongside"/>, when given,
    /// writes in the same transaction (the document request's audit row), so the fax and what asked for it commit together.
    /// </summary>
    public async Task QueueToRenderAsync(
        string id,
        string to,
        string localNumber,
        string pdfPath,
        string tiffPath,
        DateTimeOffset now,
        Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, Task>? alongside,
        CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO faxes (id, direction, status, remote, local_number, tiff_path, pdf_path, next_attempt_at_ms, created_at_ms, updated_at_ms)
            VALUES (@id, @direction, @status, @to, @localNumber, @tiffPath, @pdfPath, @now, @now, @now)
            """,
            new { id, direction = FaxStatus.Outbound, status = FaxStatus.Rendering, to, localNumber, tiffPath, pdfPath, now = now.ToUnixTimeMilliseconds() },
            transaction,
            cancellationToken: cancellationToken));
        if (alongside is not null)
        {
            await alongside(connection, transaction);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// The next fax whose document is due to be rendered, now claimed by this node (still "rendering", no longer due: its
    /// <c>next_attempt_at_ms</c> cleared until <see cref="RenderedAsync"/>, <see cref="RenderFailedAsync"/>, this node's
    /// next start's <see cref="RequeueInterruptedAsync"/>, or <see cref="TakeBackStaleClaimsAsync"/>); null when none is due.
    /// </summary>
    public async Task<FaxRecord?> ClaimRenderAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var at = now.ToUnixTimeMilliseconds();
        for (var tries = 0; tries < 3; tries++)
        {
            var id = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
                "SELECT id FROM faxes WHERE status = @rendering AND next_attempt_at_ms <= @at ORDER BY next_attempt_at_ms, id LIMIT 1",
                new { rendering = FaxStatus.Rendering, at }, cancellationToken: cancellationToken));
            if (id is null)
            {
                return null;
            }

            // Taken only if still due: another worker that got there first leaves 0 rows here.
            var claimed = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE faxes SET next_attempt_at_ms = NULL, updated_at_ms = @at, claimed_by = @node WHERE id = @id AND status = @rendering AND next_attempt_at_ms IS NOT NULL",
                new { rendering = FaxStatus.Rendering, id, at, node = _node.Id }, cancellationToken: cancellationToken));
            if (claimed == 1)
            {
                return await GetAsync(id, cancellationToken);
            }
        }

        return null;
    }

    /// <summary>
    /// A claimed render done: the fax is "queued" with its document's pages, due at once. False when the row is no longer
    /// "rendering" under this node's claim (another node took the claim back and made it due again, or took it since).
    /// </summary>
    public async Task<bool> RenderedAsync(string id, int documentPages, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE faxes SET status = @queued, document_pages = @documentPages, next_attempt_at_ms = @at, updated_at_ms = @at
            WHERE id = @id AND status = @rendering AND next_attempt_at_ms IS NULL AND claimed_by = @node
            """,
            new { queued = FaxStatus.Queued, rendering = FaxStatus.Rendering, id, documentPages, at = now.ToUnixTimeMilliseconds(), node = _node.Id },
            cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>
    /// A claimed render that failed: the fax is "failed" with the reason, never sent (its PDF is kept, for a look at what
    /// could not be rendered; it has no TIFF). False when the row is no longer "rendering" under this node's claim.
    /// </summary>
    public async Task<bool> RenderFailedAsync(string id, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE faxes SET status = @failed, result_text = @reason, tiff_path = NULL, next_attempt_at_ms = NULL, updated_at_ms = @at
            WHERE id = @id AND status = @rendering AND next_attempt_at_ms IS NULL AND claimed_by = @node
            """,
            new { failed = FaxStatus.Failed, rendering = FaxStatus.Rendering, id, reason, at = now.ToUnixTimeMilliseconds(), node = _node.Id },
            cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>
    /// A request to fax that was refused (<see cref="FaxStatus.Refused"/>, with the reason): kept so that who
    /// asked to fax what, and why it was not sent, can be looked up like any fax. No document is kept, and
    /// the worker never takes it (it is not queued).
    /// </summary>
    public async Task RefuseAsync(string id, string to, string localNumber, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO faxes (id, direction, status, remote, local_number, result_text, attempts, created_at_ms, updated_at_ms)
            VALUES (@id, @direction, @status, @to, @localNumber, @reason, 0, @now, @now)
            """,
            new { id, direction = FaxStatus.Outbound, status = FaxStatus.Refused, to, localNumber, reason, now = now.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// At start: faxes a stopped run left "sending" go back in the queue, and those left "rendering" (claimed or not: their
    /// PDF is on disk) are due for their render, both at once. On a shared database (<see cref="FaxNode.SharesDatabase"/>)
    /// only the rows this node claimed (its former life's: a node id is held by one live process at a time) and rows no
    /// node is named on (claimed before 0059, or never claimed); another node's are that node's, live or not
    /// (<see cref="TakeBackStaleClaimsAsync"/> takes back a dead one's). Alone, every such row.
    /// </summary>
    public async Task<int> RequeueInterruptedAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var at = now.ToUnixTimeMilliseconds();
        var mine = _node.SharesDatabase ? " AND (claimed_by = @node OR claimed_by IS NULL)" : "";
        var sending = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE faxes SET status = @queued, next_attempt_at_ms = @at, updated_at_ms = @at WHERE direction = @outbound AND status = @sending" + mine,
            new { queued = FaxStatus.Queued, sending = FaxStatus.Sending, outbound = FaxStatus.Outbound, at, node = _node.Id },
            cancellationToken: cancellationToken));
        var rendering = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE faxes SET next_attempt_at_ms = @at, updated_at_ms = @at WHERE direction = @outbound AND status = @rendering" + mine,
            new { rendering = FaxStatus.Rendering, outbound = FaxStatus.Outbound, at, node = _node.Id },
            cancellationToken: cancellationToken));
        return sending + rendering;
    }

    /// <summary>
    /// Claims older than <paramref name="timeout"/> at <paramref name="now"/>, whoever holds them (another node's, one
    /// nobody is named on, or this node's own whose end could not be written): a fax "sending" goes back in the queue, a
    /// render taken ("rendering", not due) is due again, both at once. No attempt lasts that long
    /// (<see cref="FaxOptions.ClaimTimeoutSeconds"/>), so the node that claimed it stopped and never came back. The claim's
    /// time (<c>updated_at_ms</c>, written with the claiming node's clock) is compared with <paramref name="now"/> (this
    /// node's clock). Each row is taken only while it still holds the claim read (its status, node and time), so of two
    /// workers that see it one takes it. The rows taken, with the node that held each.
    /// </summary>
    public async Task<IReadOnlyList<FaxClaimTakenBack>> TakeBackStaleClaimsAsync(DateTimeOffset now, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var at = now.ToUnixTimeMilliseconds();
        var stale = await connection.QueryAsync<(string Id, string Status, string? ClaimedBy, long UpdatedAtMs)>(new CommandDefinition(
            """
            SELECT id, status, claimed_by, updated_at_ms FROM faxes
            WHERE direction = @outbound AND (status = @sending OR (status = @rendering AND next_attempt_at_ms IS NULL)) AND updated_at_ms < @before
            ORDER BY updated_at_ms, id LIMIT 100
            """,
            new { outbound = FaxStatus.Outbound, sending = FaxStatus.Sending, rendering = FaxStatus.Rendering, before = at - (long)timeout.TotalMilliseconds },
            cancellationToken: cancellationToken));
        var taken = new List<FaxClaimTakenBack>();
        foreach (var (id, status, claimedBy, claimedAtMs) in stale)
        {
            // Null-safe per value (IS NULL or =): the same statement on SQLite and PostgreSQL.
            var held = "id = @id AND status = @status AND updated_at_ms = @claimedAtMs AND " + (claimedBy is null ? "claimed_by IS NULL" : "claimed_by = @claimedBy");
            var sql = status == FaxStatus.Sending
                ? $"UPDATE faxes SET status = @queued, next_attempt_at_ms = @at, updated_at_ms = @at WHERE {held}"
                : $"UPDATE faxes SET next_attempt_at_ms = @at, updated_at_ms = @at WHERE {held} AND next_attempt_at_ms IS NULL";
            var moved = await connection.ExecuteAsync(new CommandDefinition(
                sql, new { id, status, claimedAtMs, claimedBy, queued = FaxStatus.Queued, at }, cancellationToken: cancellationToken));
            if (moved == 1)
            {
                taken.Add(new FaxClaimTakenBack(id, status, claimedBy, DateTimeOffset.FromUnixTimeMilliseconds(claimedAtMs)));
            }
        }

        return taken;
    }

    /// <summary>The next due outbound fax, now "sending" with one more attempt, claimed by this node; null when none is due.</summary>
    public async Task<FaxRecord?> ClaimDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var at = now.ToUnixTimeMilliseconds();
        for (var tries = 0; tries < 3; tries++)
        {
            var id = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
                "SELECT id FROM faxes WHERE status = @queued AND next_attempt_at_ms <= @at ORDER BY next_attempt_at_ms, id LIMIT 1",
                new { queued = FaxStatus.Queued, at }, cancellationToken: cancellationToken));
            if (id is null)
            {
                return null;
            }

            // Taken only if still queued: another worker that got there first leaves 0 rows here.
            var claimed = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE faxes SET status = @sending, attempts = attempts + 1, updated_at_ms = @at, claimed_by = @node WHERE id = @id AND status = @queued",
                new { sending = FaxStatus.Sending, queued = FaxStatus.Queued, id, at, node = _node.Id }, cancellationToken: cancellationToken));
            if (claimed == 1)
            {
                return await GetAsync(id, cancellationToken);
            }
        }

        return null;
    }

    /// <summary>
    /// Records a fax's end: its status, pages and T.30 result, the received PDF, and for an outbound
    /// fax to be tried again its next attempt. Writes the whole row for an inbound fax whose start was not written.
    /// <paramref name="mail"/>, when given, goes into the outbox in the same transaction.
    /// </summary>
    public async Task FinishAsync(FaxFinish finish, DateTimeOffset now, CancellationToken cancellationToken, Outbox.OutboundMessage? mail = null)
    {
        ArgumentNullException.ThrowIfNull(finish);
        await using var connection = await factory.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO faxes (id, direction, status, remote, remote_verified, local_number, call_id, pages, bit_rate, ecm, result_code, result_text,
                               tiff_path, pdf_path, next_attempt_at_ms, created_at_ms, updated_at_ms)
            VALUES (@Id, @Direction, @Status, @Remote, @RemoteVerified, @LocalNumber, @CallId, @Pages, @BitRate, @Ecm, @ResultCode, @ResultText,
                    @TiffPath, @PdfPath, @NextAttemptAtMs, @now, @now)
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, pages = excluded.pages, bit_rate = excluded.bit_rate,
                ecm = excluded.ecm, result_code = excluded.result_code, result_text = excluded.result_text,
                call_id = COALESCE(excluded.call_id, faxes.call_id), pdf_path = COALESCE(excluded.pdf_path, faxes.pdf_path),
                next_attempt_at_ms = excluded.next_attempt_at_ms, updated_at_ms = excluded.updated_at_ms,
                attempts = faxes.attempts - @Held
            """,
            new
            {
                finish.Id,
                finish.Direction,
                finish.Status,
                finish.Remote,
                RemoteVerified = finish.RemoteVerified ? 1 : 0,
                Held = finish.Held ? 1 : 0,
                finish.LocalNumber,
                finish.CallId,
                finish.Pages,
                finish.BitRate,
                Ecm = finish.Ecm ? 1 : 0,
                finish.ResultCode,
                finish.ResultText,
                finish.TiffPath,
                finish.PdfPath,
                NextAttemptAtMs = finish.NextAttemptAt?.ToUnixTimeMilliseconds(),
                now = now.ToUnixTimeMilliseconds(),
            },
            transaction,
            cancellationToken: cancellationToken));

        // The fax's mail is queued with its row, in one transaction: a stored fax is never left unmailed.
        if (mail is not null)
        {
            await Outbox.OutboxRepository.EnqueueAsync(connection, transaction, mail, now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<FaxRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<FaxRow>(new CommandDefinition(
            $"SELECT {Columns} FROM faxes WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    /// <summary>Newest first; <paramref name="direction"/> null for both.</summary>
    public Task<IReadOnlyList<FaxRecord>> ListAsync(string? direction, int limit, CancellationToken cancellationToken) =>
        ListAsync(direction, null, limit, cancellationToken);

    /// <summary>
    /// Newest first; <paramref name="direction"/> null for both. <paramref name="task"/> (<c>new</c> or
    /// <c>handled</c>) keeps only received faxes in that state of the supervisors' task.
    /// </summary>
    public async Task<IReadOnlyList<FaxRecord>> ListAsync(string? direction, string? task, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        // Only the filters given: PostgreSQL cannot type a parameter that is only compared with NULL.
        var where = (direction is null ? "" : " AND direction = @direction")
            + (task is null ? "" : " AND direction = 'inbound' AND handled_at_ms IS " + (task == FaxStatus.TaskNew ? "NULL" : "NOT NULL"));
        var rows = await connection.QueryAsync<FaxRow>(new CommandDefinition(
            $"SELECT {Columns} FROM faxes WHERE 1 = 1{where} ORDER BY created_at_ms DESC, id DESC LIMIT @limit",
            new { direction, limit = (long)limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>Inbound faxes still <c>receiving</c> that were answered before <paramref name="before"/>: no call lasts that long, so their reception was cut by a stop.</summary>
    public async Task<IReadOnlyList<FaxRecord>> ListInterruptedReceptionsAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<FaxRow>(new CommandDefinition(
            $"SELECT {Columns} FROM faxes WHERE direction = 'inbound' AND status = 'receiving' AND created_at_ms < @before ORDER BY created_at_ms LIMIT 100",
            new { before = before.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>
    /// Received faxes whose task is still new (for the wallboard's count), not one still being received (it cannot be
    /// handled yet), and when the oldest of them came in (null when there is none).
    /// </summary>
    public async Task<(int Count, DateTimeOffset? Oldest)> NewTasksAsync(CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<NewTasksRow>(new CommandDefinition(
            """
            SELECT COUNT(*) AS Count, MIN(created_at_ms) AS OldestMs FROM faxes
            WHERE direction = 'inbound' AND handled_at_ms IS NULL AND status <> 'receiving'
            """,
            cancellationToken: cancellationToken));
        return ((int)row.Count, row.OldestMs is { } oldest ? DateTimeOffset.FromUnixTimeMilliseconds(oldest) : null);
    }

    /// <summary>
    /// Marks a received fax's task handled by <paramref name="by"/>, once: only an inbound fax that has
    /// finished and is still new changes. Returns the row as it stands afterwards (null: no such fax) and
    /// whether this call changed it.
    /// </summary>
    public async Task<(FaxRecord? Fax, bool Changed)> MarkHandledAsync(string id, string by, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await factory.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE faxes SET handled_at_ms = @at, handled_by = @by
            WHERE id = @id AND direction = 'inbound' AND status <> 'receiving' AND handled_at_ms IS NULL
            """,
            new { id, by, at = now.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
        return (await GetAsync(id, cancellationToken), changed == 1);
    }

    private sealed class NewTasksRow
    {
        public long Count { get; set; }
        public long? OldestMs { get; set; }
    }

    private sealed class FaxRow
    {
        public string Id { get; set; } = "";
        public string Direction { get; set; } = "";
        public string Status { get; set; } = "";
        public string Remote { get; set; } = "";
        public string LocalNumber { get; set; } = "";
        public string? CallId { get; set; }
        public long Pages { get; set; }
        public long? DocumentPages { get; set; }
        public long BitRate { get; set; }
        public long Ecm { get; set; }
        public long? ResultCode { get; set; }
        public string? ResultText { get; set; }
        public string? TiffPath { get; set; }
        public string? PdfPath { get; set; }
        public long Attempts { get; set; }
        public long? NextAttemptAtMs { get; set; }
        public long CreatedAtMs { get; set; }
        public long UpdatedAtMs { get; set; }
        public long? HandledAtMs { get; set; }
        public string? HandledBy { get; set; }
        public long RemoteVerified { get; set; } = 1;
        public string? ClaimedBy { get; set; }

        public FaxRecord ToRecord() => new(
            Id, Direction, Status, Remote, LocalNumber, CallId, (int)Pages, (int?)DocumentPages, (int)BitRate, Ecm != 0,
            (int?)ResultCode, ResultText, TiffPath, PdfPath, (int)Attempts,
            NextAttemptAtMs is { } next ? DateTimeOffset.FromUnixTimeMilliseconds(next) : null,
            DateTimeOffset.FromUnixTimeMilliseconds(CreatedAtMs), DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAtMs),
            HandledAtMs is { } handled ? DateTimeOffset.FromUnixTimeMilliseconds(handled) : null, HandledBy, RemoteVerified != 0)
        {
            ClaimedBy = ClaimedBy,
        };
    }
}

/// <summary>
/// What <see cref="FaxRepository.FinishAsync"/> writes. <see cref="Held"/>: the attempt claimed was not made
/// (quiet hours, <see cref="FaxAttempt.HeldUntil"/>), so it does not count.
/// </summary>
public sealed record FaxFinish(
    string Id,
    string Direction,
    string Status,
    string Remote,
    string LocalNumber,
    string? CallId,
    int Pages,
    int BitRate,
    bool Ecm,
    int? ResultCode,
    string? ResultText,
    string? TiffPath,
    string? PdfPath,
    DateTimeOffset? NextAttemptAt,
    bool RemoteVerified = true,
    bool Held = false);

/// <summary>A claim <see cref="FaxRepository.TakeBackStaleClaimsAsync"/> took back: the fax, its status then, the node that held it (null: none named) and since when.</summary>
public sealed record FaxClaimTakenBack(string Id, string Status, string? HeldBy, DateTimeOffset ClaimedAt);
