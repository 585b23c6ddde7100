using CallCenter.Data.Callbacks;
using CallCenter.Data.CallLists;
using CallCenter.Data.Desk;
using CallCenter.Data.Events;
using CallCenter.FaxSms.Outbox;
using CallCenter.ResourceControl.Routing;

namespace CallCenter.ResourceControl.Outbound;

/// <summary>A list's entry refused at import or by a rule: its line (0 for a rule's) and why.</summary>
internal sealed record RefusedEntry(int Line, string Reason);

/// <summary>
/// The owner of compliance call lists. Entries come from a CSV import or from a rule (a new account,
/// a resolved complaint, a margin call or forced liquidation); each good entry is written, then dialled
/// as the list's mode says: progressive (<c>CallLists.Progressive.cs</c>: handed to its queue as a callback
/// carrying the list's retry rules while the queue has free agents; <see cref="Callbacks"/>: the next free
/// agent is rung first, then the client through the trunk, recorded) or preview (<c>CallLists.Preview.cs</c>:
/// an agent asks for it, then dials or skips it). Each attempt comes back through
/// <see cref="Callbacks.AttemptRecorded"/> and moves the entry on. A risk notice also goes out at once
/// by SMS through the messaging outbox, its second channel, and may ring in quiet hours. A tick
/// escalates entries whose deadline is near to the supervisors (once each).
/// </summary>
internal sealed partial class CallLists : IDisposable
{
    private readonly SemaphoreSlim _standing = new(1, 1); // one standing list per kind, made once
    private readonly CallListRepository _store;
    private readonly Callbacks _callbacks;
    private readonly OutboundRules _rules;
    private readonly DialingOptions _dialing;
    private readonly RoutingOptions _routing;
    private readonly CallListOptions _options;
    private readonly OutboxRepository _outbox;
    private readonly OutboxSignal _outboxSignal;
    private readonly Records.EventLog _events;
    private readonly Agents.AgentPresence _presence;
    private readonly Queues.AcdQueues _queues;
    private readonly IListEntryDialer _dialer;
    private readonly ListEscalations _escalations;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AuditRepository? _audit;
    private readonly Data.Calls.CallerLookupRepository? _callers; // the client directory, for a list call's tier
    private ITimer? _tick;

    // Core clients the rules refused at their last review (number → not before): only the review pass touches it.
    private readonly Dictionary<string, DateTimeOffset> _corePaused = new(StringComparer.Ordinal);
    private int _reviewing;

    public CallLists(
        CallListRepository store, Callbacks callbacks, OutboundRules rules, DialingOptions dialing, RoutingOptions routing, CallListOptions options,
        OutboxRepository outbox, OutboxSignal outboxSignal, Records.EventLog events, Agents.AgentPresence presence, Queues.AcdQueues queues, IListEntryDialer dialer, ListEscalations escalations, TimeProvider time, ILogger<CallLists> logger,
        AuditRepository? audit = null, Data.Calls.CallerLookupRepository? callers = null)
    {
        _audit = audit;
        _callers = callers;
        _escalations = escalations;
        _queues = queues;
        _presence = presence;
        _dialer = dialer;
        _store = store;
        _callbacks = callbacks;
        _rules = rules;
        _dialing = dialing;
        _routing = routing;
        _options = options;
        _outbox = outbox;
        _outboxSignal = outboxSignal;
        _events = events;
        _time = time;
        _logger = logger;
        callbacks.AttemptRecorded += AttemptRecordedAsync;
        callbacks.Answered += AnswerAsync;
        callbacks.AsksClient = AsksClientAsync;
        callbacks.QuestionTiming = (options.QuestionRepeats, TimeSpan.FromSeconds(options.QuestionSilenceSeconds));
    }

    public CallListOptions Options => _options;

    /// <summary>Starts the ticks: escalations (their own), previews given back by agents who left, core clients' reviews.</summary>
    private void Start()
    {
        _escalations.Start();
        _tick = _time.CreateTimer(static s => _ = ((CallLists)s!).TickAsync(), this, TimeSpan.FromSeconds(_options.CheckSeconds), TimeSpan.FromSeconds(_options.CheckSeconds));
    }

    public Task<IReadOnlyList<CallListRow>> ListsAsync(CancellationToken cancellationToken) => _store.ListsAsync(cancellationToken);

    public Task<IReadOnlyList<CallListEntryRow>> EntriesAsync(string? listId, CancellationToken cancellationToken) => _store.EntriesAsync(listId, cancellationToken);

    public Task<CallListEntryRow?> EntryAsync(string id, CancellationToken cancellationToken) => _store.GetEntryAsync(id, cancellationToken);

    /// <summary>A new list; the refusal for an unknown kind, mode or queue or retry rules out of range.</summary>
    public async Task<(CallListRow? List, string? Refusal)> CreateAsync(string name, string kind, string? queue, int? maxAttempts, int? retrySeconds, string by, CancellationToken cancellationToken, string? mode = null)
    {
        mode ??= CallListModes.Progressive;
        if (!CallListModes.All.Contains(mode))
        {
            return (null, $"unknown mode \"{mode}\" ({string.Join(", ", CallListModes.All)})");
        }

        if (string.IsNullOrWhiteSpace(name) || name.Length > CallListPlanner.MaxTextLength)
        {
            return (null, $"a list needs a name of at most {CallListPlanner.MaxTextLength} characters");
        }

        if (!CallListKinds.All.Contains(kind))
        {
            return (null, $"unknown kind \"{kind}\" ({string.Join(", ", CallListKinds.All)})");
        }

        queue ??= _options.Queue;
        if (!_routing.Queues.ContainsKey(queue))
        {
            return (null, $"there is no queue \"{queue}\" (the queues are {string.Join(", ", _routing.Queues.Keys)})");
        }

        if (maxAttempts is < 1 or > 20 || retrySeconds is < 1 or > 86400)
        {
            return (null, "maxAttempts must be 1-20 and retrySeconds 1-86400");
        }

        var list = new CallListRow("list-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6)), name.Trim(), kind, queue,
            maxAttempts ?? _options.MaxAttempts, retrySeconds ?? _options.RetrySeconds, by, _time.GetUtcNow(), mode);
        await _store.InsertListAsync(list, cancellationToken);
        LogListCreated(_logger, list.Id, list.Name, list.Kind, list.Mode, by);
        return (list, null);
    }

    /// <summary>
    /// Imports CSV records (a header with at least <c>number</c>; optional <c>name</c>, <c>dueBy</c>,
    /// <c>accountManager</c>, <c>note</c>) into <paramref name="list"/>: the good rows are stored and
    /// dialled, the bad ones reported with their line and reason.
    /// </summary>
    public async Task<(IReadOnlyList<CallListEntryRow> Imported, IReadOnlyList<RefusedEntry> Refused, string? Refusal)> ImportAsync(
        CallListRow list, IReadOnlyList<AgentDesk.Admin.CsvRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0 || records[0].Error is not null)
        {
            return ([], [], "the file is empty or its header line is malformed");
        }

        var header = records[0].Fields.Select(f => f.Trim()).ToList();
        int Column(string name) => header.FindIndex(h => h.Equals(name, StringComparison.OrdinalIgnoreCase));
        var (number, clientName, dueBy, manager, note) = (Column("number"), Column("name"), Column("dueBy"), Column("accountManager"), Column("note"));
        if (number < 0)
        {
            return ([], [], "the header must name a \"number\" column (optional: name, dueBy, accountManager, note)");
        }

        var now = _time.GetUtcNow();
        var drafts = new List<CallListEntryDraft>();
        var refused = new List<RefusedEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        // A file sent again (a retried upload) must not call or text a client twice: a number with an open entry on
        // this list is reported, not added.
        var open = (await _store.EntriesAsync(list.Id, cancellationToken))
            .Where(IsOpen)
            .ToDictionary(e => e.Number, e => e.Id, StringComparer.Ordinal);
        foreach (var record in records.Skip(1))
        {
            if (record.Error is not null)
            {
                refused.Add(new(record.Line, record.Error));
                continue;
            }

            string? Field(int i) => i >= 0 && i < record.Fields.Count ? record.Fields[i] : null;
            var (draft, refusal) = CallListPlanner.Check(Field(number), Field(clientName), Field(manager), Field(note), Field(dueBy), list.Kind, _dialing, _rules.DoNotCallReason, _options, now);
            if (draft is null)
            {
                refused.Add(new(record.Line, refusal!));
            }
            else if (!seen.Add(draft.Number))
            {
                refused.Add(new(record.Line, $"{draft.Number} is on an earlier line of this file"));
            }
            else if (open.TryGetValue(draft.Number, out var already))
            {
                refused.Add(new(record.Line, $"{draft.Number} already has an open entry on this list ({already}): not added twice"));
            }
            else
            {
                drafts.Add(draft);
            }
        }

        var imported = await AddAsync(list, drafts, cancellationToken);
        LogImported(_logger, list.Id, imported.Count, refused.Count);
        _ = PaceSafelyAsync(); // an idle agent takes the first entry now, not at the next tick
        return (imported, refused, null);
    }

    /// <summary>
    /// A rule makes an entry: <paramref name="kind"/>'s standing list gets the client, due by the kind's
    /// deadline; a risk notice's SMS goes at once. The refusal for a bad number.
    /// </summary>
    public async Task<(CallListEntryRow? Entry, string? Refusal)> FromRuleAsync(string kind, string? number, string? clientName, string? accountManager, string? note, string by, CancellationToken cancellationToken, string? occurredAt = null)
    {
        var now = _time.GetUtcNow();
        var (draft, refusal) = CallListPlanner.Check(number, clientName, accountManager, note, null, kind, _dialing, _rules.DoNotCallReason, _options, now);
        if (draft is null)
        {
            return (null, refusal);
        }

        var (deadline, late) = CallListPlanner.EventDeadline(kind, occurredAt, now, _options);
        if (deadline is null)
        {
            return (null, late);
        }

        draft = draft with { DueBy = deadline.Value };

        var list = await StandingListAsync(kind, by, cancellationToken);

        // The same event sent again (a retry after a timeout) finds the client's open entry: no second call or SMS.
        var open = (await _store.EntriesAsync(list.Id, cancellationToken))
            .FirstOrDefault(e => e.Number == draft.Number && IsOpen(e));
        if (open is not null)
        {
            return (open, null);
        }

        var added = await AddAsync(list, [draft], cancellationToken);
        _ = PaceSafelyAsync();
        return (added[0], null);
    }

    /// <summary>
    /// What the client said on a new-account call: <paramref name="confirmed"/> or not. A denial flags
    /// the relationship with the account manager for removal, the call's recording (its record) the evidence.
    /// An answer the client gave by key (<see cref="ClientKeyPrefix"/>) is theirs: only another of their own keys
    /// (<paramref name="byClientKey"/>) replaces it; anyone else's (the API, a wrap-up code) is refused with 409.
    /// </summary>
    public async Task<(CallListEntryRow? Entry, int Status, string? Refusal)> ConfirmAsync(string entryId, bool confirmed, string by, CancellationToken cancellationToken, bool byClientKey = false)
    {
        if (await _store.GetEntryAsync(entryId, cancellationToken) is not { } entry)
        {
            return (null, 404, $"no call list entry {entryId}");
        }

        var list = (await _store.ListsAsync(cancellationToken)).FirstOrDefault(l => l.Id == entry.ListId);
        if (list?.Kind != CallListKinds.NewAccount)
        {
            return (null, 409, $"entry {entryId} is not on a new-account list: there is no relationship to confirm");
        }

        if (entry.Status != CallListStatuses.Reached || entry.LastCallId is null)
        {
            return (null, 409, $"entry {entryId} is {entry.Status}: the client must be reached on a recorded call first");
        }

        if (!byClientKey && AnsweredByClientKey(entry))
        {
            LogAnswerNotTaken(_logger, entry.Id, entry.LastCallId, by, ClientAnswerKept(entry));
            return (null, 409, ClientAnswerKept(entry));
        }

        var answered = entry with { Confirmation = confirmed ? "confirmed" : "denied", ConfirmedBy = by, UpdatedAt = _time.GetUtcNow() };
        if (!await _store.SetConfirmationAsync(entry.Id, answered.Confirmation!, by, answered.UpdatedAt, cancellationToken, byClientKey ? null : ClientKeyPrefix))
        {
            // The client's key may have landed between the read and the write: say so rather than "changed".
            return await _store.GetEntryAsync(entry.Id, CancellationToken.None) is { } now && !byClientKey && AnsweredByClientKey(now)
                ? (null, 409, ClientAnswerKept(now))
                : (null, 409, $"entry {entryId} changed while the answer was recorded: read it again");
        }

        _events.Write(EventKind.ListConfirmation, entry.LastCallId, null, new { entry = entry.Id, number = entry.Number, accountManager = entry.AccountManager, confirmation = answered.Confirmation, by, evidenceCall = entry.LastCallId });
        if (!confirmed)
        {
            LogRelationshipDenied(_logger, entry.Id, entry.Number, entry.AccountManager ?? "-", entry.LastCallId);
        }

        return (answered, 200, null);
    }

    /// <summary>
    /// Whom the router prefers for an entry's call: its account manager, except on a new-account list,
    /// whose call checks the relationship with that manager and must not be put through to them, and except
    /// a manager the client denied on such a call (<paramref name="client"/>, the directory's look-up of the
    /// number: the denial is of the manager it names), who is no longer theirs to call.
    /// </summary>
    internal static string? RoutedManager(CallListRow list, CallListEntryRow entry, Data.Calls.CallerLookup? client)
    {
        if (list.Kind == CallListKinds.NewAccount || entry.AccountManager is not { } manager)
        {
            return null;
        }

        var denied = client is { ManagerDeniedAt: not null, Client: { } record }
            && (manager == record.ManagerExtension || manager == record.ManagerName);
        return denied ? null : manager;
    }

    /// <summary>
    /// The directory's look-up of an entry's number, for <see cref="RoutedManager"/>; null without a directory or when the
    /// look-up fails (logged): a risk notice is booked all the same, only without knowing of a denial.
    /// </summary>
    private async Task<Data.Calls.CallerLookup?> DirectoryEntryAsync(CallListEntryRow entry, CancellationToken cancellationToken)
    {
        if (_callers is null || entry.AccountManager is null)
        {
            return null;
        }

        try
        {
            return await _callers.FindAsync(entry.Number.Trim(), 0, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogDirectoryLookupFailed(_logger, e, entry.Id);
            return null;
        }
    }

    /// <summary>A new-account entry is not for its own account manager to call (preview).</summary>
    internal static bool IsOwnRelationship(CallListRow? list, CallListEntryRow entry, string agent) =>
        list?.Kind == CallListKinds.NewAccount && entry.AccountManager == agent;

    /// <summary>
    /// An answer given on a list call: the agent's wrap-up code (<see cref="CallListOptions.ConfirmedCode"/>,
    /// <see cref="CallListOptions.DeniedCode"/>) becomes a new-account entry's
    /// confirmation, as through the API; only on the call that reached the client, and only on a new-account list.
    /// </summary>
    private async Task AnswerAsync(CallAnswer answer)
    {
        if (answer.NoClientKey)
        {
            await NoClientKeyAsync(answer);
            return;
        }

        var confirmed = answer.ByClientKey ? answer.Confirmed
            : answer.Code == _options.ConfirmedCode ? true : answer.Code == _options.DeniedCode ? false : (bool?)null;
        if (confirmed is null)
        {
            return;
        }

        var entry = answer.ListEntryId is { } id ? await _store.GetEntryAsync(id) : await _store.EntryByLastCallAsync(answer.CallId);
        if (entry is null || entry.LastCallId != answer.CallId)
        {
            return;
        }

        if (answer.Agent is not null && answer.Agent == entry.AccountManager)
        {
            // The call checks the relationship with this very manager: their own word is no evidence.
            LogAnswerNotTaken(_logger, entry.Id, answer.CallId, answer.By, "the account manager whose relationship the call checks cannot record its answer");
            await AuditAsync(answer, entry, AuditEntry.Refused, "the account manager whose relationship the call checks");
            return;
        }

        if (!answer.ByClientKey && AnsweredByClientKey(entry))
        {
            // The client said it themselves on this call: an agent's wrap-up code does not overwrite it.
            LogAnswerNotTaken(_logger, entry.Id, answer.CallId, answer.By, "the client answered by key on this call");
            await AuditAsync(answer, entry, AuditEntry.Refused, "the client answered by key on this call");
            return;
        }

        var (done, _, refusal) = await ConfirmAsync(entry.Id, confirmed.Value, answer.By, CancellationToken.None, answer.ByClientKey);
        if (done is null)
        {
            LogAnswerNotTaken(_logger, entry.Id, answer.CallId, answer.By, refusal!);
            await AuditAsync(answer, entry, AuditEntry.Refused, refusal!);
            return;
        }

        await AuditAsync(answer, entry, AuditEntry.Done, confirmed.Value
            ? $"confirmed account manager {entry.AccountManager ?? "-"} on call {answer.CallId}"
            : $"denied account manager {entry.AccountManager ?? "-"} on call {answer.CallId}: relationship flagged for removal, the call's recording the evidence");
    }

    /// <summary>
    /// The question on the call that reached the entry's client ended with no key from them (put and repeated): nothing is
    /// confirmed or denied, and the audit log says so; the agent's wrap-up code then records the answer as it always could.
    /// </summary>
    private async Task NoClientKeyAsync(CallAnswer answer)
    {
        var entry = answer.ListEntryId is { } id ? await _store.GetEntryAsync(id) : null;
        if (entry is null || entry.LastCallId != answer.CallId)
        {
            return;
        }

        LogNoClientKey(_logger, entry.Id, answer.CallId, entry.AccountManager ?? "-");
        // The audit log's outcomes are done or refused (its schema): the question is done, its detail says with no answer.
        await AuditAsync(answer, entry, AuditEntry.Done,
            $"no key from the client on call {answer.CallId} to the question on account manager {entry.AccountManager ?? "-"}: the agent's wrap-up code records the answer");
    }

    /// <summary>How <see cref="Calls.CallbackCalls"/> names a client who answered by key (<see cref="CallListEntryRow.ConfirmedBy"/>).</summary>
    internal const string ClientKeyPrefix = "client ";

    /// <summary>Did the client give the entry's answer by key themselves?</summary>
    internal static bool AnsweredByClientKey(CallListEntryRow entry) =>
        entry.ConfirmedBy?.StartsWith(ClientKeyPrefix, StringComparison.Ordinal) == true;

    private static string ClientAnswerKept(CallListEntryRow entry) =>
        $"entry {entry.Id}: the client answered by key on call {entry.LastCallId ?? "-"} ({entry.Confirmation ?? "-"}); their own answer is kept and no one else's replaces it";

    /// <summary>A new-account entry's reached call asks its client (<see cref="Callbacks.AsksClient"/>).</summary>
    private async Task<bool> AsksClientAsync(CallbackRow callback) =>
        callback.ListId is { } listId && (await _store.ListsAsync()).FirstOrDefault(l => l.Id == listId)?.Kind == CallListKinds.NewAccount;

    /// <summary>An answer given on a call, taken or not, in the audit log: who (the client by key, or the agent), what, the evidence call.</summary>
    private async Task AuditAsync(CallAnswer answer, CallListEntryRow entry, string outcome, string detail)
    {
        if (_audit is null)
        {
            return;
        }

        var byClient = answer.ByClientKey || answer.NoClientKey;
        var actor = byClient ? answer.By : answer.Agent is { } agent ? agent : answer.By;
        var role = byClient ? "client" : "agent";
        try
        {
            await _audit.AppendAsync(new AuditEntry(_time.GetUtcNow(), actor.Length > 100 ? actor[..100] : actor, role, ConfirmationAction, entry.Id, outcome, detail));
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
        {
            LogAuditFailed(_logger, e, entry.Id, answer.CallId);
        }
    }

    /// <summary>The audit log's action for a new-account answer given on a call or through the API.</summary>
    public const string ConfirmationAction = "list.confirmation";

    /// <summary>An answer given through the API, taken or refused, in the audit log; a failed write is logged, the answer stands.</summary>
    internal async Task AuditApiAnswerAsync(string actor, string role, string entryId, string outcome, string detail)
    {
        if (_audit is null)
        {
            return;
        }

        try
        {
            await _audit.AppendAsync(new AuditEntry(_time.GetUtcNow(), actor.Length > 100 ? actor[..100] : actor, role, ConfirmationAction, entryId, outcome, detail));
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
        {
            LogAuditFailed(_logger, e, entryId, "(api)");
        }
    }

    private async Task TickAsync()
    {
        try
        {
            await GiveBackStalePreviewsAsync();
        }
        catch (Exception e)
        {
            LogGiveBackFailed(_logger, e);
        }

        try
        {
            await ReviewCoreClientsAsync();
        }
        catch (Exception e)
        {
            LogCoreReviewFailed(_logger, e);
        }
    }

    /// <summary>
    /// Core clients' periodic review calls (<see cref="CallListOptions.CoreClientTiers"/>): each client owed one
    /// (<see cref="CallListPlanner.CoreClientsDue"/>) gets an entry on the standing core-client list, as the
    /// <c>core-client-review</c> event would make it, routed to their account manager and called within the calling hours.
    /// A client the rules refuse (the do-not-call list) is left for a day, so the refusal is logged once a day, not every check.
    /// One pass at a time: a slow database never stacks passes up.
    /// </summary>
    internal async Task<int> ReviewCoreClientsAsync(CancellationToken cancellationToken = default)
    {
        if (_options.CoreClientTiers.Count == 0 || Interlocked.Exchange(ref _reviewing, 1) == 1)
        {
            return 0;
        }

        try
        {
            var list = await StandingListAsync(CallListKinds.CoreClient, CoreReviewBy, cancellationToken);
            var last = await _store.LatestEntryTimesAsync(list.Id, cancellationToken);
            var clients = await _store.ClientsOfTiersAsync(_options.CoreClientTiers, cancellationToken);
            var now = _time.GetUtcNow();
            var due = CallListPlanner.CoreClientsDue(clients, last, p => _corePaused.TryGetValue(p, out var until) ? until : null, _dialing, _options, now);
            var made = 0;
            foreach (var client in due)
            {
                var (entry, refusal) = await FromRuleAsync(
                    CallListKinds.CoreClient, client.Phone, client.Name, client.Manager, $"{client.Tier}: periodic review call", CoreReviewBy, cancellationToken);
                if (entry is null)
                {
                    _corePaused[client.Phone] = now.AddDays(1);
                    LogCoreReviewRefused(_logger, client.Phone, refusal ?? "-");
                }
                else
                {
                    made++;
                }
            }

            if (made > 0)
            {
                LogCoreReviewsMade(_logger, made, list.Id);
            }

            return made;
        }
        finally
        {
            Volatile.Write(ref _reviewing, 0);
        }
    }

    private const string CoreReviewBy = "rule:core-client-review";

    /// <summary>Writes the entries, then books each one's callback (a refusal stored on the entry) and sends a risk notice's SMS.</summary>
    private async Task<IReadOnlyList<CallListEntryRow>> AddAsync(CallListRow list, IReadOnlyList<CallListEntryDraft> drafts, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var entries = drafts.Select(d => new CallListEntryRow
        {
            Id = "le-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)),
            ListId = list.Id,
            Number = d.Number,
            ClientName = d.ClientName,
            AccountManager = d.AccountManager,
            Note = d.Note,
            DueBy = d.DueBy,
            Status = CallListStatuses.Open,
            CreatedAt = now,
            UpdatedAt = now,
        }).ToList();
        await _store.InsertEntriesAsync(entries, cancellationToken);

        var risk = list.Kind == CallListKinds.RiskNotice;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (risk)
            {
                entry = await SendNoticeAsync(list, entry, cancellationToken);
            }

            // A preview list's entry waits on the list for an agent to ask for it, a progressive one for the pacing
            // pass to find a free agent (a risk notice is booked at once); only the notice's proof is written.
            if (list.Mode == CallListModes.Preview || !risk)
            {
                if (risk)
                {
                    await _store.UpdateEntryAsync(entry, cancellationToken);
                }

                entries[i] = entry;
                continue;
            }

            var (callback, refusal) = await _callbacks.BookAsync(
                new CallbackRequest(entry.Number, list.Queue, "list", now, null, null, null, RoutedManager(list, entry, await DirectoryEntryAsync(entry, cancellationToken)), null, null, entry.Id, list.MaxAttempts, list.RetrySeconds, risk, ListId: list.Id),
                cancellationToken);
            // A first attempt may already have been reported (an agent was free at once): it stands.
            var current = await _store.GetEntryAsync(entry.Id, cancellationToken) ?? entry;
            var untouched = current.Status == CallListStatuses.Open && current.Attempts == 0;
            entry = callback is null
                ? entry with { Status = CallListStatuses.Refused, Reason = refusal, UpdatedAt = _time.GetUtcNow() }
                : untouched ? entry with { Status = CallListStatuses.Calling, CallbackId = callback.Id, UpdatedAt = _time.GetUtcNow() }
                : current with { CallbackId = callback.Id, NoticeMessageId = entry.NoticeMessageId, NoticeSentAt = entry.NoticeSentAt };
            await _store.UpdateEntryAsync(entry, cancellationToken);
            entries[i] = entry;
        }

        return entries;
    }

    /// <summary>An entry still to be called or being called: a retried import or event must not add the number again.</summary>
    private static bool IsOpen(CallListEntryRow entry) => CallListStatuses.IsOpen(entry.Status);

    /// <summary>The risk notice's SMS, the same for every client.</summary>
    public const string RiskNoticeText = "【风险提示 Risk notice】您的期货账户风险度已达到追加保证金或强行平仓标准，请立即处理。Your futures account needs margin now or positions may be liquidated.";

    /// <summary>A risk notice's second channel: the SMS queued in the outbox (it ignores opt-outs and quiet hours), its id and time kept as proof.</summary>
    private async Task<CallListEntryRow> SendNoticeAsync(CallListRow list, CallListEntryRow entry, CancellationToken cancellationToken)
    {
        var (recipient, error) = Recipients.Phone(entry.Number);
        if (recipient is null)
        {
            LogNoticeNotSent(_logger, entry.Id, entry.Number, error ?? "not a phone number");
            return entry;
        }

        // A fixed text, never the entry's note: the note is for the agent, and a free text sent under the risk-notice
        // header (which ignores opt-outs and quiet hours) would let whoever holds an API key send anything in our name.
        var text = RiskNoticeText;
        var message = new OutboundMessage(MessageRequest.NewId(), MessageChannel.Sms, recipient, null, text, MessageKind.RiskNotice, 0);
        var at = _time.GetUtcNow();
        await _outbox.EnqueueAsync(message, at, cancellationToken);
        _outboxSignal.Notify();
        _events.Write(EventKind.ListNoticeSent, null, null, new { list = list.Id, entry = entry.Id, number = entry.Number, message = message.Id });
        LogNoticeSent(_logger, entry.Id, entry.Number, message.Id);
        return entry with { NoticeMessageId = message.Id, NoticeSentAt = at, UpdatedAt = at };
    }

    /// <summary>The list a rule of <paramref name="kind"/> adds to: one per kind, made on first use.</summary>
    private async Task<CallListRow> StandingListAsync(string kind, string by, CancellationToken cancellationToken)
    {
        var id = "list-" + kind;
        await _standing.WaitAsync(cancellationToken);
        try
        {
            if ((await _store.ListsAsync(cancellationToken)).FirstOrDefault(l => l.Id == id) is { } existing)
            {
                return existing;
            }

            var list = new CallListRow(id, kind, kind, _options.Queue, _options.MaxAttempts, _options.RetrySeconds, by, _time.GetUtcNow());
            await _store.InsertListAsync(list, cancellationToken);
            return list;
        }
        finally
        {
            _standing.Release();
        }
    }

    private async Task AttemptRecordedAsync(CallbackRow callback, string callId)
    {
        if (callback.ListEntryId is not { } entryId || await _store.GetEntryAsync(entryId) is not { } entry)
        {
            return;
        }

        var next = CallListPlanner.AfterAttempt(entry, callback, callId, _time.GetUtcNow());
        await _store.UpdateEntryAsync(next);
        LogAttempt(_logger, entry.Id, callId, next.Attempts, next.Outcome ?? "-", next.Status);
    }

    public void Dispose()
    {
        _tick?.Dispose();
        _paceTick?.Dispose();
        _pacing.Dispose();
        _standing.Dispose();
        _previewGate.Dispose();
    }


    [LoggerMessage(7311, LogLevel.Information, "Call list {ListId} \"{Name}\" ({Kind}, {Mode}) created by {By}")]
    private static partial void LogListCreated(ILogger logger, string listId, string name, string kind, string mode, string by);

    [LoggerMessage(7312, LogLevel.Information, "Call list {ListId}: {Imported} entries imported, {Refused} refused")]
    private static partial void LogImported(ILogger logger, string listId, int imported, int refused);

    [LoggerMessage(7313, LogLevel.Information, "Call list entry {EntryId}: risk notice SMS {MessageId} queued to {Number}")]
    private static partial void LogNoticeSent(ILogger logger, string entryId, string number, string messageId);

    [LoggerMessage(7314, LogLevel.Warning, "Call list entry {EntryId}: no risk notice SMS to {Number}: {Reason}")]
    private static partial void LogNoticeNotSent(ILogger logger, string entryId, string number, string reason);

    [LoggerMessage(7315, LogLevel.Warning, "Call list entry {EntryId}: the client {Number} denied account manager {Manager} on call {CallId}; the relationship is flagged for removal")]
    private static partial void LogRelationshipDenied(ILogger logger, string entryId, string number, string manager, string callId);

    [LoggerMessage(7316, LogLevel.Information, "Call list entry {EntryId}: attempt {CallId}, {Attempts} attempts, {Outcome}: now {Status}")]
    private static partial void LogAttempt(ILogger logger, string entryId, string callId, int attempts, string outcome, string status);

    [LoggerMessage(4401, LogLevel.Information, "Call list entry {EntryId}: no key from the client on call {CallId} to the question on account manager {Manager}; the agent's wrap-up code records the answer")]
    private static partial void LogNoClientKey(ILogger logger, string entryId, string callId, string manager);

    [LoggerMessage(4303, LogLevel.Error, "Call list entry {EntryId}: the answer on call {CallId} could not be written to the audit log")]
    private static partial void LogAuditFailed(ILogger logger, Exception exception, string entryId, string callId);

    [LoggerMessage(4222, LogLevel.Information, "Call list entry {EntryId}: the answer on call {CallId} by {By} was not taken: {Refusal}")]
    private static partial void LogAnswerNotTaken(ILogger logger, string entryId, string callId, string by, string refusal);


    [LoggerMessage(9050, LogLevel.Warning, "Core client review: {Number} refused ({Reason}); tried again in a day")]
    private static partial void LogCoreReviewRefused(ILogger logger, string number, string reason);

    [LoggerMessage(9051, LogLevel.Information, "Core client review: {Count} review calls added to {ListId}")]
    private static partial void LogCoreReviewsMade(ILogger logger, int count, string listId);

    [LoggerMessage(4159, LogLevel.Warning, "Call list entry {EntryId}: the client directory could not be read; its call is booked without checking whether the client denied the account manager")]
    private static partial void LogDirectoryLookupFailed(ILogger logger, Exception exception, string entryId);

    [LoggerMessage(9052, LogLevel.Error, "Core client review failed; tried again at the next check")]
    private static partial void LogCoreReviewFailed(ILogger logger, Exception exception);
}
