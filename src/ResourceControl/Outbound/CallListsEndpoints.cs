using System.Security.Claims;
using System.Text.Json;
using CallCenter.Data.CallLists;
using CallCenter.Data.Calls;
using CallCenter.Data.Desk;
using CallCenter.Data.Events;
using CallCenter.FaxSms.Outbox;

namespace CallCenter.ResourceControl.Outbound;

/// <summary>
/// Compliance call lists over REST, on the host's /api group (an API key, or a signed-in supervisor or admin):
/// <list type="bullet">
/// <item><c>GET /api/call-lists</c>: every list with its counts (open, due, overdue, reached, failed, refused, contact rate, attempts per contact);
/// <c>GET /api/call-lists/summary</c>: the same counts over all lists (the wallboard's).</item>
/// <item><c>POST /api/call-lists</c> <c>{"name", "kind", "queue"?, "maxAttempts"?, "retrySeconds"?}</c> → 201.</item>
/// <item><c>POST /api/call-lists/{id}/entries</c> with a <c>text/csv</c> body (header: number, name, dueBy, accountManager, note)
/// → 200 <c>{"imported", "rejected": [{"line", "reason"}]}</c>: the good rows are imported and dialled.</item>
/// <item><c>POST /api/call-lists/events</c> <c>{"event", "number", "clientName"?, "accountManager"?, "note"?}</c> → 201 with the entry
/// (events: account-opened, complaint-resolved, margin-call, forced-liquidation, core-client-review).</item>
/// <item><c>GET /api/call-lists/{id}/entries</c>, <c>GET /api/call-lists/entries/{id}</c>: entries with their attempts, outcome and notice;
/// the one entry's also with its proof of notice (<see cref="NoticeProof"/>: the SMS, the call that reached the client).</item>
/// <item><c>POST /api/call-lists/entries/{id}/confirmation</c> <c>{"confirmed": true|false}</c>: a new-account client's answer.</item>
/// <item>Preview lists (<c>"mode": "preview"</c>), for an agent: <c>POST /api/agents/{agent}/preview</c> the next entry (held for them),
/// <c>GET</c> the one held, <c>POST .../preview/{entry}/dial</c> → 202 with the call, <c>POST .../preview/{entry}/skip</c> <c>{"reason"}</c>.
/// The agent's desk does the same over its hub.</item>
/// </list>
/// A risk notice's SMS ignores opt-outs and quiet hours, and its call may ring in quiet hours, so who raised each one
/// (imported or by event) is in the audit log (<see cref="RiskNoticeAction"/>): the actor, the number, the entry, when.
/// </summary>
internal static class CallListsEndpoints
{
    public const string RiskNoticeAction = "risk-notice.add";

    public sealed record CreateRequest(string? Name, string? Kind, string? Queue, int? MaxAttempts, int? RetrySeconds, string? Mode);

    public sealed record SkipRequest(string? Reason);

    public sealed record EventRequest(string? Event, string? Number, string? ClientName, string? AccountManager, string? Note, string? OccurredAt = null);

    public sealed record ConfirmationRequest(bool? Confirmed);

    private static readonly JsonSerializerOptions _web = new(JsonSerializerDefaults.Web);

    private static readonly Dictionary<string, string> _events = new(StringComparer.Ordinal)
    {
        ["account-opened"] = CallListKinds.NewAccount,
        ["complaint-resolved"] = CallListKinds.Complaint,
        ["margin-call"] = CallListKinds.RiskNotice,
        ["forced-liquidation"] = CallListKinds.RiskNotice,
        ["core-client-review"] = CallListKinds.CoreClient,
    };

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/call-lists", async (CallLists lists, TimeProvider time, CancellationToken cancellationToken) =>
        {
            var entries = await lists.EntriesAsync(null, cancellationToken);
            var now = time.GetUtcNow();
            return Results.Json((await lists.ListsAsync(cancellationToken)).Select(l => new
            {
                id = l.Id,
                name = l.Name,
                kind = l.Kind,
                mode = l.Mode,
                queue = l.Queue,
                maxAttempts = l.MaxAttempts,
                retrySeconds = l.RetrySeconds,
                createdBy = l.CreatedBy,
                createdAt = l.CreatedAt,
                counts = CallListPlanner.Summarize(entries.Where(e => e.ListId == l.Id), now, lists.Options),
            }));
        });

        api.MapGet("/call-lists/summary", async (CallLists lists, TimeProvider time, CancellationToken cancellationToken) =>
            Results.Json(CallListPlanner.Summarize(await lists.EntriesAsync(null, cancellationToken), time.GetUtcNow(), lists.Options)));

        api.MapPost("/call-lists", async (CreateRequest? request, CallLists lists, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            if (request is null || string.IsNullOrWhiteSpace(request.Name))
            {
                return Problem(400, "The body must be JSON: {\"name\": \"Q4 new accounts\", \"kind\": \"new-account\", \"queue\": \"general\", \"maxAttempts\": 3, \"retrySeconds\": 600, \"mode\": \"progressive\" or \"preview\"}.");
            }

            var (list, refusal) = await lists.CreateAsync(request.Name, request.Kind ?? CallListKinds.General, request.Queue, request.MaxAttempts, request.RetrySeconds, By(user), cancellationToken, request.Mode);
            return list is null ? Problem(400, refusal! + "; no list was made.") : Results.Json(new { id = list.Id, name = list.Name, kind = list.Kind, mode = list.Mode, queue = list.Queue }, statusCode: 201);
        });

        api.MapPost("/call-lists/{id}/entries", async (string id, HttpRequest http, CallLists lists, AuditRepository audit, TimeProvider time, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            if ((await lists.ListsAsync(cancellationToken)).FirstOrDefault(l => l.Id == id) is not { } list)
            {
                return Problem(404, $"No call list {id}.");
            }

            var (records, status, refusal) = await AgentDesk.Admin.ClientCsvUpload.ReadAsync(http, cancellationToken);
            if (records is null)
            {
                return Problem(status, refusal!);
            }

            var (imported, rejected, fileRefusal) = await lists.ImportAsync(list, records, cancellationToken);
            await AuditRiskNoticesAsync(audit, time, user, list.Kind, imported, "imported");
            return fileRefusal is not null
                ? Problem(400, fileRefusal + "; nothing was imported.")
                : Results.Json(new { imported = imported.Count, entries = imported.Select(ToJson), rejected = rejected.Select(r => new { line = r.Line, reason = r.Reason }) });
        });

        api.MapPost("/call-lists/events", async (EventRequest? request, CallLists lists, AuditRepository audit, TimeProvider time, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            if (request?.Event is not { } name || !_events.TryGetValue(name, out var kind))
            {
                return Problem(400, $"The body must be JSON with an event ({string.Join(", ", _events.Keys)}) and a number.");
            }

            var (entry, refusal) = await lists.FromRuleAsync(kind, request.Number, request.ClientName, request.AccountManager, request.Note ?? NoteOf(name), By(user), cancellationToken, request.OccurredAt);
            if (entry is not null)
            {
                await AuditRiskNoticesAsync(audit, time, user, kind, [entry], "event " + name);
            }

            return entry is null ? Problem(400, refusal! + "; no entry was made.") : Results.Json(ToJson(entry), statusCode: 201);
        });

        api.MapGet("/call-lists/{id}/entries", async (string id, CallLists lists, CancellationToken cancellationToken) =>
            Results.Json((await lists.EntriesAsync(id, cancellationToken)).Select(ToJson)));

        // One entry, with its proof of notice (the SMS, the call that reached the client); the lists show entries without it.
        api.MapGet("/call-lists/entries/{id}", async (string id, CallLists lists, OutboxRepository outbox, CallRecordRepository records, EventRepository events, RecordingRepository recordings, CancellationToken cancellationToken) =>
        {
            if (await lists.EntryAsync(id, cancellationToken) is not { } entry)
            {
                return Problem(404, $"No call list entry {id}.");
            }

            var json = JsonSerializer.SerializeToNode(ToJson(entry), _web)!.AsObject();
            json["proof"] = JsonSerializer.SerializeToNode(await NoticeProof.LoadAsync(entry, outbox, records, events, recordings, cancellationToken), _web);
            return Results.Json(json);
        });

        api.MapPost("/call-lists/entries/{id}/confirmation", ConfirmAsync);

        api.MapGet("/agents/{agent}/preview", async (string agent, CallLists lists, CancellationToken cancellationToken) =>
            Preview(await lists.CurrentAsync(agent, cancellationToken)));

        api.MapPost("/agents/{agent}/preview", async (string agent, CallLists lists, CancellationToken cancellationToken) =>
            Preview(await lists.NextAsync(agent, cancellationToken)));

        // A dial or a skip through the API is on the audit log, done or refused, as the desk's are.
        api.MapPost("/agents/{agent}/preview/{entry}/dial", async (string agent, string entry, CallLists lists, ClaimsPrincipal user, AgentDesk.Hubs.DeskAudit audit, CancellationToken cancellationToken) =>
        {
            if (entry.Length > MaxId)
            {
                await audit.RefusedAsync(user, "api.preview-dial", agent, "not an entry id");
                return Problem(400, "That is not an entry id.");
            }

            var result = await lists.DialAsync(agent, entry, cancellationToken);
            await (result.Done
                ? audit.DoneAsync(user, "api.preview-dial", agent, $"entry {entry}: call {result.CallId}")
                : audit.RefusedAsync(user, "api.preview-dial", agent, $"entry {entry}: {result.Message}"));
            return Preview(result);
        });

        api.MapPost("/agents/{agent}/preview/{entry}/skip", async (string agent, string entry, SkipRequest? request, CallLists lists, ClaimsPrincipal user, AgentDesk.Hubs.DeskAudit audit, CancellationToken cancellationToken) =>
        {
            if (entry.Length > MaxId)
            {
                await audit.RefusedAsync(user, "api.preview-skip", agent, "not an entry id");
                return Problem(400, "That is not an entry id.");
            }

            var result = await lists.SkipAsync(agent, entry, request?.Reason, cancellationToken);
            await (result.Done
                ? audit.DoneAsync(user, "api.preview-skip", agent, $"entry {entry}: {Shorten(request?.Reason)}")
                : audit.RefusedAsync(user, "api.preview-skip", agent, $"entry {entry}: {result.Message}"));
            return Preview(result);
        });
    }

    /// <summary>
    /// <c>POST /api/call-lists/entries/{id}/confirmation</c> <c>{"confirmed": bool}</c>: the client's answer on a reached
    /// new-account entry, recorded as given by the caller of the API. 409 when the entry is not one or not reached, or when
    /// the client answered by key on the call (their answer is kept). Taken or refused, it is in the audit log
    /// (<see cref="CallLists.ConfirmationAction"/>: who, the entry, what).
    /// </summary>
    internal static async Task<IResult> ConfirmAsync(string id, ConfirmationRequest? request, CallLists lists, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lists);
        if (request?.Confirmed is not { } confirmed)
        {
            return Problem(400, "The body must be JSON: {\"confirmed\": true} or {\"confirmed\": false}.");
        }

        if (id.Length > MaxId)
        {
            return Problem(400, "That is not an entry id.");
        }

        var by = By(user);
        var role = user?.FindFirst(ClaimTypes.Role)?.Value ?? "api-key";
        var answer = confirmed ? "confirmed" : "denied";
        var (entry, status, refusal) = await lists.ConfirmAsync(id, confirmed, by, cancellationToken);
        await lists.AuditApiAnswerAsync(by, role, id, entry is null ? AuditEntry.Refused : AuditEntry.Done,
            entry is null ? $"{answer} through the API, refused ({status}): {refusal}" : $"{answer} account manager {entry.AccountManager ?? "-"} through the API (evidence call {entry.LastCallId ?? "-"})");
        return entry is null ? Problem(status, refusal!) : Results.Json(ToJson(entry));
    }

    private static string Shorten(string? text) => text is null ? "" : text.Length > 100 ? text[..100] + "…" : text;

    private const int MaxId = 64;

    private static IResult Preview(Contracts.Calls.ListPreviewResult result) =>
        result.Done
            ? Results.Json(new { entry = result.Entry, callId = result.CallId, result = result.Message }, statusCode: result.Status)
            : Problem(result.Status, result.Message!);

    /// <summary>A margin call's and a forced liquidation's SMS say which it is when the event brings no text.</summary>
    private static string? NoteOf(string name) => name switch
    {
        "margin-call" => "您的期货账户已触发追加保证金通知，请尽快追加保证金。Margin call: please add margin to your futures account now.",
        "forced-liquidation" => "您的期货账户将被强行平仓，请立即处理。Your futures positions will be liquidated unless you act now.",
        _ => null,
    };

    private static string By(ClaimsPrincipal user) => user.Identity?.Name ?? "api-key";

    /// <summary>
    /// Writes who raised each of <paramref name="entries"/> when they are risk notices (any other kind: nothing). A
    /// retried event that found the open entry is written again: someone asked again.
    /// </summary>
    internal static async Task AuditRiskNoticesAsync(AuditRepository audit, TimeProvider time, ClaimsPrincipal user, string listKind, IEnumerable<CallListEntryRow> entries, string how)
    {
        if (listKind != CallListKinds.RiskNotice)
        {
            return;
        }

        var (by, role) = (By(user), user.FindFirst(ClaimTypes.Role)?.Value ?? "api-key");
        foreach (var entry in entries)
        {
            await audit.AppendAsync(
                new AuditEntry(time.GetUtcNow(), by, role, RiskNoticeAction, entry.Number, AuditEntry.Done, $"{how}: entry {entry.Id} on list {entry.ListId} (its SMS ignores opt-outs and quiet hours; its call may ring in quiet hours)"),
                CancellationToken.None);
        }
    }

    private static object ToJson(CallListEntryRow e) => new
    {
        id = e.Id,
        listId = e.ListId,
        number = e.Number,
        clientName = e.ClientName,
        accountManager = e.AccountManager,
        note = e.Note,
        dueBy = e.DueBy,
        status = e.Status,
        attempts = e.Attempts,
        outcome = e.Outcome,
        reason = e.Reason,
        callbackId = e.CallbackId,
        lastCallId = e.LastCallId,
        confirmation = e.Confirmation,
        confirmedBy = e.ConfirmedBy,
        relationshipFlaggedForRemoval = e.Confirmation == "denied",
        escalatedAt = e.EscalatedAt,
        previewAgent = e.PreviewAgent,
        previewAt = e.PreviewAt,
        nextAttemptAt = e.NextAttemptAt,
        skips = e.Skips,
        skipReason = e.SkipReason,
        notice = e.NoticeMessageId is null ? null : new { channel = "sms", messageId = e.NoticeMessageId, sentAt = e.NoticeSentAt },
        createdAt = e.CreatedAt,
        updatedAt = e.UpdatedAt,
    };

    private static IResult Problem(int status, string detail) => Results.Problem(detail, statusCode: status);
}
