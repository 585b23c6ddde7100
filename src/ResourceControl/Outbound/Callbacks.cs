using CallCenter.Data.Callbacks;
using CallCenter.Data.Calls;
using CallCenter.ResourceControl.Routing;

namespace CallCenter.ResourceControl.Outbound;

/// <summary>What asks for a callback: the number as typed or as the caller's id, and where it waits.</summary>
internal sealed record CallbackRequest(
    string Number,
    string Queue,
    string Source,
    DateTimeOffset RequestedAt,
    DateTimeOffset? DueAt = null,
    string? Tier = null,
    string? Language = null,
    string? AccountManager = null,
    IReadOnlyCollection<string>? Skills = null,
    string? OriginCallId = null,
    string? ListEntryId = null,
    int? MaxAttempts = null,
    int? RetrySeconds = null,
    bool RiskNotice = false,
    string? Id = null,
    string? ListId = null,
    string? OwnerAgent = null,
    string? RequestedBy = null);

/// <summary>
/// What a booking came to: the callback (new, or <paramref name="Existing"/>: one already pending for that number, kept
/// as it is), or the refusal's reason; <paramref name="Limited"/>: refused by a cap (<c>Callbacks:MaxPendingPerNumber</c>,
/// <c>Callbacks:MaxPendingPerAgent</c>), not by the number or the queue.
/// </summary>
internal sealed record CallbackBooked(CallbackRow? Callback, string? Refusal, bool Existing = false, bool Limited = false)
{
    public void Deconstruct(out CallbackRow? callback, out string? refusal)
    {
        callback = Callback;
        refusal = Refusal;
    }
}

/// <summary>
/// An answer given on a callback's call (<paramref name="CallId"/>): the agent's wrap-up code (<paramref name="Code"/>),
/// and by whom (<paramref name="By"/>); or the client's own key (<paramref name="Confirmed"/> set, <paramref name="Agent"/> null).
/// </summary>
internal sealed record CallAnswer(string CallId, string? ListEntryId, string Code, string By, string? Agent = null, bool? Confirmed = null)
{
    /// <summary>The code of a question that ended with no key from the client (<see cref="NoClientKey"/>).</summary>
    public const string ClientNoKeyCode = "client-no-key";

    /// <summary>The client answered with their own key on their own leg, not an agent for them.</summary>
    public bool ByClientKey => Confirmed is not null && Agent is null;

    /// <summary>The client was asked, the question repeated, and no key came: no answer, and the agent's wrap-up code may give it.</summary>
    public bool NoClientKey => Code == ClientNoKeyCode && Agent is null && Confirmed is null;
}

/// <summary>
/// A callback the ACD gave an agent: the row as it will be written ("calling"), the entry (whose id becomes the attempt's
/// call id), and the row as it waited (what <see cref="Callbacks.ConfirmClaimAsync"/> expects to find stored).
/// </summary>
internal sealed record CallbackClaim(CallbackRow Callback, WaitingCall Entry, CallbackRow Waiting);

/// <summary>
/// The owner of callbacks: a row in <c>callbacks</c> first, then an entry in its queue that keeps the
/// caller's place (its <see cref="WaitingCall.EnteredAt"/> is when they first queued) and tier. When
/// the ACD gives the entry to an agent (<see cref="TryClaim"/>), the call rooms ring the agent and then
/// the client (<c>Calls/CallbackCalls.cs</c>) and report the attempt (<see cref="AttemptEndedAsync"/>);
/// <see cref="CallbackPlanner"/> decides what follows. Scheduled callbacks and retries wait here until
/// their time (a one-second tick). At start-up the open rows are queued again, an attempt a stopped
/// process left "calling" included (it is tried again, not lost).
/// </summary>
internal sealed partial class Callbacks : Contracts.Desk.ICallbackCounts, IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, CallbackRow> _entries = new(StringComparer.Ordinal); // entry id (a call id) → callback waiting in a queue
    private readonly Dictionary<string, IReadOnlyCollection<string>> _skills = new(StringComparer.Ordinal); // callback id → skills of the caller's queue
    private readonly List<CallbackRow> _later = []; // scheduled, or waiting for a retry
    private readonly Dictionary<string, CallbackRow> _calling = new(StringComparer.Ordinal); // callback id → given to an agent, being dialled
    private static readonly TimeSpan _agentOutcomeWait = TimeSpan.FromMinutes(10);
    private readonly Dictionary<string, (string Outcome, DateTimeOffset At)> _agentOutcomes = new(StringComparer.Ordinal); // call id → an agent's outcome given before its attempt ended
    private readonly SemaphoreSlim _booking = new(1, 1); // a cap's check and the row it lets in, one booking at a time
    private readonly CallbackRepository _store;
    private readonly Queues.AcdQueues _queues;
    private readonly Trunks _trunks;
    private readonly DialingOptions _dialing;
    private readonly RoutingOptions _routing;
    private readonly CallbackOptions _options;
    private readonly OutboundRules _rules;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string? _node; // Cluster:NodeId when nodes share the database; null on a single platform
    private ITimer? _tick;
    private int _ticks;
    private int _sweeping; // 1 while a refresh of this node's claims and a look for orphaned ones runs
    private Task? _sweep; // the tick's last such pass

    /// <summary>The tick's last pass over this node's claims (tests wait for it after moving the clock on).</summary>
    internal Task Sweep => Volatile.Read(ref _sweep) ?? Task.CompletedTask;
    private Task _writes = Task.CompletedTask; // the row's changes, written in the order they happened
    private readonly HashSet<string> _previewing = new(StringComparer.Ordinal); // preview attempts this process dials (ids; their claims refreshed)
    private readonly Dictionary<string, (DateTimeOffset? Seen, DateTimeOffset Since)> _watched = new(StringComparer.Ordinal); // claims not this process's: the claim's time last read, and since when (this node's clock)
    private readonly List<CallbackRow> _ownAtStart = []; // "calling" rows found at start under this node's name, waiting for the node id to be confirmed

    /// <summary>
    /// In a cluster that checks its node ids: whether this process's <c>Cluster:NodeId</c> is confirmed as its own (no other
    /// live process holds it); null where nothing checks (a single platform, a cluster without the shared ACD). Until it
    /// says so, the "calling" callbacks found at start claimed under this node's name are not queued again: they may be a
    /// live twin's attempts (a second process started with the same id), and queuing them would ring the client twice.
    /// The tick takes them back once it is confirmed, on the condition that each is still the same attempt.
    /// </summary>
    public Func<bool>? NodeIdConfirmed { get; set; }

    /// <summary>"Calling" callbacks found at start under this node's name, not yet taken back (the node id not yet confirmed).</summary>
    internal int WaitingForNodeId
    {
        get
        {
            lock (_gate)
            {
                return _ownAtStart.Count;
            }
        }
    }

    /// <summary>
    /// A claim watched standing still this long (its <see cref="CallbackRow.ClaimSeenAt"/> unchanged, timed on the
    /// watching node's own clock) belongs to a node that stopped (or lost the database that long): its "calling"
    /// callbacks go back to their queue. Its node refreshes it every second; the margin is for a slow database, as a live
    /// attempt moved back would ring the client twice (and its end, written only while the attempt is still its own, is
    /// then not written).
    /// </summary>
    public static readonly TimeSpan ClaimAlive = TimeSpan.FromSeconds(15);

    public Callbacks(CallbackRepository store, Queues.AcdQueues queues, Trunks trunks, DialingOptions dialing, RoutingOptions routing, CallbackOptions options, OutboundRules rules, TimeProvider time, ILogger<Callbacks> logger, Hosting.ClusterOptions? cluster = null)
    {
        _node = cluster is { Enabled: true } ? cluster.Node : null;
        _rules = rules;
        _store = store;
        _queues = queues;
        _trunks = trunks;
        _dialing = dialing;
        _routing = routing;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public CallbackOptions Options => _options;

    /// <summary>
    /// Each attempt's result as written (the row after <see cref="CallbackPlanner.AfterAttempt"/>) and
    /// the attempt's call id: a list hears its entries' calls here. Raised off the call's loop.
    /// </summary>
    public event Func<CallbackRow, string, Task>? AttemptRecorded;

    /// <summary>
    /// What was said on a callback's call after it was reached: the agent's wrap-up code, with the call's id and who
    /// said it. A list hears its new-account answers here.
    /// </summary>
    public event Func<CallAnswer, Task>? Answered;

    /// <summary>
    /// Whether a reached list call's client is asked a question to answer by key (a new-account entry: confirm the
    /// account manager); the lists set it. Asked in the call's loop once the client answered.
    /// </summary>
    public Func<CallbackRow, Task<bool>>? AsksClient { get; set; }

    /// <summary>
    /// How the question is put (the lists set it from <c>CallLists:QuestionRepeats</c> and <c>CallLists:QuestionSilenceSeconds</c>):
    /// repeated that many times after that much silence, then it ends with no key from the client.
    /// </summary>
    public (int Repeats, TimeSpan Silence) QuestionTiming { get; set; } = (2, TimeSpan.FromSeconds(5));

    /// <summary>
    /// Hands <paramref name="answer"/> to the lists; a failure is logged, never the caller's. An agent's wrap-up code that
    /// is an outcome (<see cref="CallbackPlanner.AgentOutcomeOf"/>: wrong number, refused) first ends the call's callback
    /// for good, and its list entry with it.
    /// </summary>
    public async Task ReportAnswerAsync(CallAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.Agent is { } agent && CallbackPlanner.AgentOutcomeOf(answer.Code, _options) is { } outcome)
        {
            try
            {
                await AgentOutcomeAsync(answer.CallId, outcome, agent);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
            {
                LogAgentOutcomeFailed(_logger, e, answer.CallId, outcome);
            }
        }

        if (Answered is not { } handlers)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Func<CallAnswer, Task>>())
        {
            try
            {
                await handler(answer);
            }
            catch (Exception e)
            {
                LogAnswerFailed(_logger, e, answer.CallId);
            }
        }
    }

    /// <summary>
    /// The agent said the attempt <paramref name="callId"/> reached a wrong number or a client who refused: its callback
    /// fails for good (<see cref="CallbackPlanner.AfterAgentOutcome"/>); a retry waiting for its time or in its queue is
    /// taken out first, so it is never dialled. An attempt not yet ended takes the outcome when it ends.
    /// </summary>
    private async Task AgentOutcomeAsync(string callId, string outcome, string agent)
    {
        CallbackRow? live;
        lock (_gate)
        {
            live = _calling.Values.FirstOrDefault(c => c.LastCallId == callId);
            if (live is not null)
            {
                _agentOutcomes[callId] = (outcome, _time.GetUtcNow());
            }
        }

        if (live is not null)
        {
            // Kept on the row too: a restart before the attempt ends still ends the callback (and its entry) with it.
            await _store.SetAgentOutcomeAsync(live.Id, callId, outcome);
            LogAgentOutcome(_logger, live.Id, callId, outcome, agent);
            return;
        }

        var stored = await _store.GetByLastCallAsync(callId);
        if (stored is { Status: CallbackStatuses.Calling } && stored.LastCallId == callId)
        {
            // An attempt that still lasts, not this node's in memory (a preview's, or another node's): on the row, and
            // here for the attempt's end should it be this node's.
            lock (_gate)
            {
                _agentOutcomes[callId] = (outcome, _time.GetUtcNow());
            }

            await _store.SetAgentOutcomeAsync(stored.Id, callId, outcome);
            LogAgentOutcome(_logger, stored.Id, callId, outcome, agent);
            return;
        }

        if (stored is null)
        {
            // No callback names the call yet: a preview's attempt may not have ended (its row learns the call at the end),
            // or it is no callback's call at all. Kept a while for the attempt's end, then forgotten (the tick).
            lock (_gate)
            {
                _agentOutcomes[callId] = (outcome, _time.GetUtcNow());
            }

            return;
        }

        if (CallbackPlanner.AfterAgentOutcome(stored, outcome, callId, _time.GetUtcNow()) is not { } failed)
        {
            return;
        }

        string? entryId;
        lock (_gate)
        {
            entryId = _entries.FirstOrDefault(e => e.Value.Id == stored.Id).Key;
            if (entryId is not null)
            {
                _entries.Remove(entryId);
            }

            _later.RemoveAll(r => r.Id == stored.Id);
            _skills.Remove(stored.Id);
        }

        if (entryId is not null)
        {
            _queues.Remove(entryId);
        }

        // A retry waiting (here or on another node) ends only while it still waits: a claim that came first is not undone.
        if (CallbackStatuses.Waiting.Contains(stored.Status))
        {
            if (!await MoveWaitingAsync(failed, stored.Attempts))
            {
                return;
            }
        }
        else
        {
            await Write(failed);
        }

        LogAgentOutcome(_logger, failed.Id, callId, outcome, agent);
        await RecordedAsync(failed, callId);
    }

    /// <summary>Callbacks can be kept: a trunk is configured to dial the client through.</summary>
    public bool Available => _trunks.First is not null;

    /// <summary>Callbacks waiting in a queue, waiting for their time, or being called (for /health and the wallboard).</summary>
    public (int Queued, int Later) Counts
    {
        get
        {
            lock (_gate)
            {
                return (_entries.Count, _later.Count);
            }
        }
    }

    /// <summary>
    /// Queues the open callbacks again after a start and starts the tick. A "calling" one is tried again when this node
    /// claimed it (a stopped process left it), or nobody named did; one another node claimed is left to it (no clocks are
    /// compared at a start), and taken over by a node's tick once watched standing still for <see cref="ClaimAlive"/>. One whose agent already said wrong number or refused ends with that, as final.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var open in await _store.ListOpenAsync(cancellationToken))
        {
            if (open.Status == CallbackStatuses.Calling)
            {
                if (CallbackPlanner.ClaimedElsewhere(open, _node))
                {
                    LogLeftToNode(_logger, open.Id, open.ClaimedBy ?? "-", open.LastCallId ?? "-");
                    continue;
                }

                // Under this node's name: a former life's attempt, or a live twin's (the same id given to two processes).
                // Which one is known only once the cluster has confirmed the id as this process's: until the tick sees that.
                if (_node is not null && open.ClaimedBy == _node && NodeIdConfirmed is not null)
                {
                    LogWaitingForNodeId(_logger, open.Id, _node, open.LastCallId ?? "-");
                    lock (_gate)
                    {
                        _ownAtStart.Add(open);
                    }

                    continue;
                }

                await TakeBackAsync(open, seen: null, cancellationToken);
                continue;
            }

            // A preview list's entry waits on its list, never in a queue.
            if (open.Source != PreviewSource)
            {
                Enter(open);
            }
        }

        _tick = _time.CreateTimer(static s => ((Callbacks)s!).Tick(), this, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// A "calling" callback whose attempt nobody will end (its process stopped): written back conditionally (still
    /// "calling" with its attempts, and for another node's, still that node's and quiet), so one another start or node
    /// moved meanwhile is left. It goes back to its queue (a preview's to its list, not dialled again by itself), or, when
    /// the agent already gave the attempt a final outcome (<see cref="CallbackRow.AgentOutcome"/>), fails with it.
    /// </summary>
    private async Task<bool> TakeBackAsync(CallbackRow open, DateTimeOffset? seen, CancellationToken cancellationToken, bool watched = false)
    {
        var now = _time.GetUtcNow();
        var callId = open.LastCallId ?? "-";
        var back = CallbackPlanner.AfterInterruptedAttempt(open, _options, now);
        var moved = watched && open.ClaimedBy is { } claimedBy
            ? await _store.TryTakeOverAsync(back, claimedBy, open.Attempts, seen, cancellationToken)
            : await _store.TryMoveAsync(back, [CallbackStatuses.Calling], open.Attempts, cancellationToken);
        if (!moved)
        {
            return false;
        }

        LogTakenBack(_logger, open.Id, open.ClaimedBy ?? "-", callId, back.Status, back.Outcome ?? "-");
        if (back.Status != CallbackStatuses.Queued || open.Source == PreviewSource)
        {
            // Its list hears it: the entry fails (the agent's outcome) or waits on its list again.
            await RecordedAsync(back, callId);
            return true;
        }

        Enter(back);
        return true;
    }

    /// <summary>
    /// The tick's cluster part (a node sharing its database): says this node still dials the "calling" callbacks its
    /// process holds (only those), and watches every other claim: one whose <see cref="CallbackRow.ClaimSeenAt"/> this node
    /// has seen unchanged for <see cref="ClaimAlive"/> on its own clock (a node that stopped, or a row claimed under this
    /// node's name that no attempt here holds) is taken back, on the condition that it is still unchanged.
    /// </summary>
    internal async Task KeepClaimsAsync(bool lookForOrphans, CancellationToken cancellationToken = default)
    {
        if (_node is null)
        {
            return;
        }

        await TakeBackOwnAtStartAsync(cancellationToken);
        var now = _time.GetUtcNow();
        List<string> held;
        lock (_gate)
        {
            held = [.. _calling.Keys, .. _previewing];
        }

        await _store.RefreshClaimsAsync(_node, held, now, cancellationToken);
        if (!lookForOrphans)
        {
            return;
        }

        var quiet = new List<CallbackRow>();
        var claimed = await _store.ListClaimedAsync(cancellationToken);
        lock (_gate)
        {
            var seenNow = new HashSet<string>(StringComparer.Ordinal);
            foreach (var row in claimed)
            {
                if (_calling.ContainsKey(row.Id) || _previewing.Contains(row.Id))
                {
                    continue;
                }

                seenNow.Add(row.Id);
                if (_watched.TryGetValue(row.Id, out var w) && w.Seen == row.ClaimSeenAt)
                {
                    if (now - w.Since >= ClaimAlive)
                    {
                        quiet.Add(row);
                    }
                }
                else
                {
                    _watched[row.Id] = (row.ClaimSeenAt, now);
                }
            }

            foreach (var gone in _watched.Keys.Where(k => !seenNow.Contains(k)).ToList())
            {
                _watched.Remove(gone);
            }
        }

        foreach (var orphan in quiet)
        {
            if (await TakeBackAsync(orphan, orphan.ClaimSeenAt, cancellationToken, watched: true))
            {
                lock (_gate)
                {
                    _watched.Remove(orphan.Id);
                }
            }
        }
    }

    /// <summary>
    /// Once the node id is confirmed as this process's: the "calling" callbacks found at start under its name were a former
    /// life's, cut off by its stop; each is taken back if it is still that attempt (a row moved on meanwhile is left).
    /// </summary>
    private async Task TakeBackOwnAtStartAsync(CancellationToken cancellationToken)
    {
        List<CallbackRow> own;
        lock (_gate)
        {
            if (_ownAtStart.Count == 0 || NodeIdConfirmed?.Invoke() == false)
            {
                return;
            }

            own = [.. _ownAtStart];
        }

        foreach (var row in own)
        {
            await TakeBackAsync(row, seen: null, cancellationToken);
            lock (_gate)
            {
                _ownAtStart.Remove(row);
            }
        }
    }

    private async Task KeepClaimsOnTickAsync(bool lookForOrphans)
    {
        try
        {
            await KeepClaimsAsync(lookForOrphans);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
        {
            LogClaimsNotKept(_logger, e);
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    /// <summary>
    /// Books a callback: the number must pass the dial plan, the queue must exist and a trunk must be
    /// there to dial through; then the row is written and the entry joins its queue (or waits for its
    /// time). A refusal names its reason and stores nothing.
    /// </summary>
    public async Task<CallbackBooked> BookAsync(CallbackRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Available)
        {
            return new(null, "no trunk is configured (Trunks:0:Address), so the platform cannot call anyone back");
        }

        var (number, refusal) = DialPlan.Normalize(request.Number, _dialing);
        if (number is null)
        {
            return new(null, refusal!.Reason);
        }

        // A number on the do-not-call list is refused at once (it is checked again before dialling).
        if (_rules.DoNotCallReason(number.E164) is { } doNotCall)
        {
            return new(null, $"{number.E164} is on the do-not-call list ({doNotCall})");
        }

        if (!_routing.Queues.ContainsKey(request.Queue))
        {
            return new(null, $"there is no queue \"{request.Queue}\" (the queues are {string.Join(", ", _routing.Queues.Keys)})");
        }

        await _booking.WaitAsync(cancellationToken);
        try
        {
            return await BookCheckedAsync(request, number, cancellationToken);
        }
        finally
        {
            _booking.Release();
        }
    }

    /// <summary>The caps, then the row and its entry: one booking at a time, so two requests cannot both pass a cap.</summary>
    private async Task<CallbackBooked> BookCheckedAsync(CallbackRequest request, DialableNumber number, CancellationToken cancellationToken)
    {
        if (request.ListEntryId is null && request.DueAt is null && CallbackLimits.IsQueueSource(request.Source))
        {
            // A caller's queue callbacks: one already pending for the number is kept with its place (whichever queue);
            // beyond Callbacks:MaxPendingPerNumber a caller books no more, so nobody fills the queues at their tier.
            var caller = request.RequestedBy is { } by ? DialPlan.Normalize(by, _dialing).Number?.Dial ?? by : null;
            switch (CallbackLimits.ForCaller(Pending(), number.Dial, caller, _options.MaxPendingPerNumber))
            {
                case CallerCapDecision.AlreadyBooked kept:
                    LogAlreadyBooked(_logger, kept.Existing.Id, kept.Existing.Number, kept.Existing.Queue);
                    return new(kept.Existing, null, Existing: true);
                case CallerCapDecision.Refused capped:
                    LogCallerCapped(_logger, request.OriginCallId ?? "-", number.Dial, capped.Reason);
                    return new(null, capped.Reason, Limited: true);
            }
        }
        else if (request.DueAt is null && request.ListEntryId is null && OpenFor(number.Dial, request.Queue) is { } open)
        {
            // One open callback per number and queue: asking again keeps the one already booked and its place.
            LogAlreadyBooked(_logger, open.Id, open.Number, open.Queue);
            return new(open, null, Existing: true);
        }

        if (request.OwnerAgent is { } owner && CallbackLimits.ForAgent(Pending(), owner, _options.MaxPendingPerAgent) is { } tooMany)
        {
            return new(null, tooMany, Limited: true);
        }

        var now = _time.GetUtcNow();
        var row = new CallbackRow
        {
            Id = request.Id ?? NewId(),
            Number = number.Dial,
            Queue = request.Queue,
            Tier = request.Tier,
            Language = request.Language ?? "zh",
            AccountManager = request.AccountManager,
            Source = request.Source,
            OriginCallId = request.OriginCallId,
            RequestedAt = request.RequestedAt,
            DueAt = request.DueAt,
            Status = request.DueAt > now ? CallbackStatuses.Scheduled : CallbackStatuses.Queued,
            UpdatedAt = now,
            ListEntryId = request.ListEntryId,
            ListId = request.ListId,
            MaxAttempts = request.MaxAttempts,
            RetrySeconds = request.RetrySeconds,
            RiskNotice = request.RiskNotice,
            OwnerAgent = request.OwnerAgent,
            RequestedBy = request.RequestedBy,
        };
        await _store.InsertAsync(row, cancellationToken);
        if (request.Skills is { Count: > 0 } skills)
        {
            lock (_gate)
            {
                _skills[row.Id] = skills;
            }
        }

        LogBooked(_logger, row.Id, row.Number, row.Queue, row.Source, row.OriginCallId ?? "-");
        Enter(row);
        return new(row, null);
    }

    /// <summary>Every callback pending here: in a queue, waiting for its time, or being dialled.</summary>
    private List<CallbackRow> Pending()
    {
        lock (_gate)
        {
            return [.. _entries.Values, .. _later, .. _calling.Values];
        }
    }

    /// <summary>
    /// Cancels callback <paramref name="id"/> for <paramref name="by"/>; <paramref name="owner"/> (an agent at their desk):
    /// only one they own. Only a waiting one (scheduled, queued, waiting for a retry) is cancelled: it leaves its queue
    /// at once and is never dialled; one being dialled, a call list's entry, or one already ended is refused and left
    /// as it is. The row keeps who cancelled it and when.
    /// </summary>
    public async Task<(CallbackRow? Callback, CancelRefusal Refusal)> CancelAsync(string id, string by, string? owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        CallbackRow? row;
        string? entryId;
        bool dialling;
        lock (_gate)
        {
            var entry = _entries.FirstOrDefault(e => e.Value.Id == id);
            row = entry.Value ?? _later.FirstOrDefault(r => r.Id == id);
            entryId = entry.Key;
            dialling = _calling.ContainsKey(id);
            if (row is not null && CallbackLimits.CanCancel(row, dialling, owner) == CancelRefusal.None)
            {
                if (entryId is not null)
                {
                    _entries.Remove(entryId);
                }
                else
                {
                    _later.Remove(row);
                }

                _skills.Remove(id);
            }
        }

        if (row is null)
        {
            // Not held here: ended, being dialled, a preview list's entry, held by another node (booked there), or on its
            // way into its queue this moment (booked a moment ago, or leaving the tick). A waiting one is cancelled in the
            // database all the same, conditionally: whoever holds it finds it cancelled when it would claim it.
            row = await _store.GetAsync(id, cancellationToken);
            if (CallbackLimits.CanCancel(row, dialling, owner) is not CancelRefusal.None and var notHere)
            {
                return (row, notHere);
            }
        }
        else if (CallbackLimits.CanCancel(row, dialling, owner) is not CancelRefusal.None and var refused)
        {
            return (row, refused);
        }

        if (entryId is not null)
        {
            _queues.Remove(entryId);
        }

        var now = _time.GetUtcNow();
        var cancelled = row! with { Status = CallbackStatuses.Cancelled, CancelledBy = by, CancelledAt = now, UpdatedAt = now };
        if (!await MoveWaitingAsync(cancelled, row.Attempts))
        {
            // A claim (here or on another node) or an attempt's end came first: whoever did it holds the callback now.
            var moved = await _store.GetAsync(id, cancellationToken);
            LogCancelLost(_logger, id, moved?.Status ?? "-", by);
            var refusal = CallbackLimits.CanCancel(moved, dialling: false, owner);
            return (moved, refusal == CancelRefusal.None ? CancelRefusal.Moving : refusal);
        }

        LogCancelled(_logger, id, cancelled.Number, cancelled.Queue, by);
        return (cancelled, CancelRefusal.None);
    }

    /// <summary>The callbacks owed per queue for the wallboard (in memory, so it may be read every second).</summary>
    IReadOnlyList<Contracts.Desk.CallbackCount> Contracts.Desk.ICallbackCounts.Counts()
    {
        lock (_gate)
        {
            return CallbackLimits.Count(_entries.Values, _later, _calling.Values, _time.GetUtcNow(), TimeSpan.FromMinutes(_options.OverdueMinutes));
        }
    }

    /// <summary>A new callback's id (a list's entry names its callback before it is booked, so a crash between the two is found).</summary>
    public static string NewId() => "cb-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));

    /// <summary>A callback to <paramref name="number"/> in <paramref name="queue"/> still waiting for its turn (not a scheduled one), if any.</summary>
    private CallbackRow? OpenFor(string number, string queue)
    {
        lock (_gate)
        {
            return _entries.Values.Concat(_later).FirstOrDefault(r => r.Number == number && r.Queue == queue && r.DueAt is null);
        }
    }

    public Task<CallbackRow?> GetAsync(string id, CancellationToken cancellationToken = default) => _store.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<CallbackRow>> ListAsync(string? status, int limit, CancellationToken cancellationToken = default) => _store.ListAsync(status, limit, cancellationToken);

    /// <summary>The callbacks still waiting that are not a call list's entries, soonest due first (the wallboard's list).</summary>
    public Task<IReadOnlyList<CallbackRow>> ListWaitingAsync(int limit, CancellationToken cancellationToken = default) => _store.ListWaitingAsync(limit, cancellationToken);

    /// <summary>The newest callbacks <paramref name="owner"/> owns.</summary>
    public Task<IReadOnlyList<CallbackRow>> ListOwnedAsync(string owner, int limit, CancellationToken cancellationToken = default) => _store.ListByOwnerAsync(owner, limit, cancellationToken);

    /// <summary>The ACD gave entry <paramref name="entryId"/> to an agent: the callback, now "calling"; null when the id is not a callback's.</summary>
    public CallbackClaim? TryClaim(RoutingAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        CallbackRow? row;
        lock (_gate)
        {
            if (!_entries.Remove(assignment.Call.Id, out row))
            {
                return null;
            }
        }

        var now = _time.GetUtcNow();
        var calling = ClaimedHere(row with { Status = CallbackStatuses.Calling, LastCallId = assignment.Call.Id, UpdatedAt = now }, now);
        lock (_gate)
        {
            _calling[calling.Id] = calling;
        }

        return new CallbackClaim(calling, assignment.Call, row);
    }

    /// <summary>
    /// The claim's conditional write (<see cref="CallbackRepository.TryMoveAsync"/>: still waiting, with the attempts read),
    /// before anything is dialled: true when this node owns the attempt now. False when the callback was cancelled, claimed
    /// by another node or moved on meanwhile: it is dropped here and never dialled; or when the database could not be
    /// written: it waits a few seconds and enters its queue again.
    /// </summary>
    public async Task<bool> ConfirmClaimAsync(CallbackClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        bool won;
        try
        {
            won = await MoveWaitingAsync(claim.Callback, claim.Waiting.Attempts, quiet: false);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
        {
            LogClaimNotWritten(_logger, e, claim.Callback.Id);
            lock (_gate)
            {
                _calling.Remove(claim.Callback.Id);
                _later.Add(claim.Waiting with { Status = CallbackStatuses.Queued, NextAttemptAt = _time.GetUtcNow().AddSeconds(5) });
            }

            return false;
        }

        if (!won)
        {
            lock (_gate)
            {
                _calling.Remove(claim.Callback.Id);
                _skills.Remove(claim.Callback.Id);
            }

            LogClaimLost(_logger, claim.Callback.Id, claim.Entry.Id);
        }

        return won;
    }

    /// <summary>True when <paramref name="entryId"/> is a callback's entry (waiting, not yet given to an agent).</summary>
    public bool IsEntry(string entryId)
    {
        lock (_gate)
        {
            return _entries.ContainsKey(entryId);
        }
    }

    /// <summary>A callback's entry overflowed its queue (full, or its maximum wait): it enters again a little later, place kept.</summary>
    public void Overflowed(string entryId)
    {
        lock (_gate)
        {
            if (_entries.Remove(entryId, out var row))
            {
                _later.Add(row with { NextAttemptAt = _time.GetUtcNow().AddSeconds(_options.OverflowRetrySeconds) });
            }
        }
    }

    /// <summary>
    /// An attempt ended (the call <paramref name="callId"/> is over): <paramref name="dialled"/> says the
    /// client's number was rung. The row moves on (completed, queued for a retry, failed) and a retry waits.
    /// </summary>
    public async Task AttemptEndedAsync(CallbackRow callback, string callId, string outcome, bool dialled)
    {
        ArgumentNullException.ThrowIfNull(callback);
        lock (_gate)
        {
            _calling.Remove(callback.Id);
            _previewing.Remove(callback.Id);
        }

        var next = CallbackPlanner.AfterAttempt(callback, outcome, dialled, callId, _options, _time.GetUtcNow());
        bool agentSaid;
        (string Outcome, DateTimeOffset At) agentOutcome;
        lock (_gate)
        {
            agentSaid = _agentOutcomes.Remove(callId, out agentOutcome);
        }

        if (!agentSaid && await StoredAgentOutcomeAsync(callback.Id, callId) is { } kept)
        {
            // Given on another node (the agent's desk there): kept on the row.
            (agentSaid, agentOutcome) = (true, (kept, _time.GetUtcNow()));
        }

        // The agent's wrap-up came before the attempt's end: their outcome (wrong number, refused) is the attempt's last word.
        if (agentSaid && CallbackPlanner.AfterAgentOutcome(next, agentOutcome.Outcome, callId, _time.GetUtcNow()) is { } failed)
        {
            next = failed;
        }

        if (!await EndWriteAsync(next, callId, callback.LastCallId))
        {
            // Another node took the callback over (this node looked stopped to it) and may be dialling it again: the row is
            // its now; this attempt's outcome is neither written, nor heard by a list, nor queued again from here.
            LogAttemptNotOurs(_logger, callback.Id, callId, outcome);
            lock (_gate)
            {
                _skills.Remove(next.Id);
            }

            return;
        }

        LogAttempt(_logger, callback.Id, callId, callback.Number, outcome, next.Attempts, next.Status);
        await RecordedAsync(next, callId);
        if (next.Status == CallbackStatuses.Queued && next.Source != PreviewSource)
        {
            Enter(next);
        }
        else
        {
            lock (_gate)
            {
                _skills.Remove(next.Id);
            }
        }
    }

    /// <summary>The agent's outcome kept on the row for the attempt <paramref name="callId"/>, or null (none, or the database away).</summary>
    private async Task<string?> StoredAgentOutcomeAsync(string id, string callId)
    {
        try
        {
            return await _store.GetAsync(id) is { AgentOutcome: { } outcome } row && row.AgentOutcomeCall == callId ? outcome : null;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
        {
            LogAgentOutcomeFailed(_logger, e, callId, "(reading it)");
            return null;
        }
    }

    /// <summary>
    /// A preview attempt's call <paramref name="callId"/> was placed: the "calling" row names it while it lasts (as a queue
    /// callback's claim does), so an agent's wrap-up given meanwhile is kept on the row.
    /// </summary>
    public async Task PreviewDialledAsync(CallbackRow callback, string callId)
    {
        ArgumentNullException.ThrowIfNull(callback);
        try
        {
            await _store.SetAttemptCallAsync(callback.Id, callId);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
        {
            LogSaveFailed(_logger, e, callback.Id, CallbackStatuses.Calling);
        }
    }

    /// <summary>The source of a preview list's callback rows: dialled by the agent who previewed the entry, never queued.</summary>
    public const string PreviewSource = "preview";

    /// <summary>
    /// A preview list's attempt begins: the entry's callback row (made at its first dial, kept for its
    /// attempts and retry rules) is "calling". It never enters a queue; its attempts end as any callback's
    /// (<see cref="AttemptEndedAsync"/>), and the list holds it between them.
    /// </summary>
    public async Task<CallbackRow> BeginPreviewAttemptAsync(Data.CallLists.CallListEntryRow entry, Data.CallLists.CallListRow list, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(list);
        var now = _time.GetUtcNow();
        if (entry.CallbackId is { } id && await _store.GetAsync(id, cancellationToken) is { } existing)
        {
            var again = ClaimedHere(existing with { Status = CallbackStatuses.Calling, NextAttemptAt = null, UpdatedAt = now }, now);
            await Write(again);
            Previewing(again.Id, true);
            return again;
        }

        var row = ClaimedHere(new CallbackRow
        {
            Id = NewId(),
            Number = entry.Number,
            Queue = list.Queue,
            Language = "zh",
            AccountManager = entry.AccountManager,
            Source = PreviewSource,
            RequestedAt = now,
            Status = CallbackStatuses.Calling,
            UpdatedAt = now,
            ListEntryId = entry.Id,
            ListId = list.Id,
            MaxAttempts = list.MaxAttempts,
            RetrySeconds = list.RetrySeconds,
            RiskNotice = list.Kind == CallListKinds.RiskNotice,
        }, now);
        await _store.InsertAsync(row, cancellationToken);
        Previewing(row.Id, true);
        return row;
    }

    /// <summary>A preview attempt that could not be placed (the agent's phone, a refusal): nothing was rung, the row waits again.</summary>
    public Task PreviewNotPlacedAsync(CallbackRow callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        Previewing(callback.Id, false);
        return Write(callback with { Status = CallbackStatuses.Queued, UpdatedAt = _time.GetUtcNow() });
    }

    /// <summary>
    /// The callback was given to an agent outside the calling hours (<paramref name="why"/>: the platform's, or the
    /// client's own; it entered its queue before they ended, or the client's hours changed since): it waits until
    /// <paramref name="until"/>, not counted as an attempt.
    /// </summary>
    public void Defer(CallbackRow callback, DateTimeOffset until, OutboundBlock why = OutboundBlock.QuietHours)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var waiting = callback with { Status = CallbackStatuses.Queued, NextAttemptAt = until, Outcome = why.ToString(), UpdatedAt = _time.GetUtcNow() };
        Save(waiting);
        lock (_gate)
        {
            _calling.Remove(callback.Id);
            _later.Add(waiting);
        }
    }

    private async Task RecordedAsync(CallbackRow row, string callId)
    {
        if (AttemptRecorded is not { } handlers)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Func<CallbackRow, string, Task>>())
        {
            try
            {
                await handler(row, callId);
            }
            catch (Exception e)
            {
                LogRecordedFailed(_logger, e, row.Id);
            }
        }
    }

    /// <summary>
    /// Into its queue now, or to wait for its time (scheduled, a retry's delay, or the first moment both the platform's
    /// calling hours and the client's own allow).
    /// </summary>
    private void Enter(CallbackRow row)
    {
        var now = _time.GetUtcNow();
        var at = row.Status == CallbackStatuses.Scheduled ? row.DueAt : row.NextAttemptAt;
        if (_rules.WaitUntil(row.Number, row.RiskNotice, at > now ? at.Value : now) is { } allowed)
        {
            // Not outside the hours: the entry waits for them rather than holding an agent's place (never offered before).
            at = allowed;
            row = row with { NextAttemptAt = at, Status = CallbackStatuses.Queued, UpdatedAt = now };
            _ = MoveWaitingAsync(row, row.Attempts);
        }

        if (at > now)
        {
            lock (_gate)
            {
                _later.Add(row);
            }

            return;
        }

        IReadOnlyCollection<string> skills;
        lock (_gate)
        {
            skills = _skills.GetValueOrDefault(row.Id) ?? [];
        }

        // The entry's id is the attempt's call id; its place counts from the caller's first queueing
        // (or a scheduled callback's time), so later callers of the same tier stay behind it. An owned
        // callback goes to its owner first: the ACD holds it for them (signed in but busy) for the grace,
        // counted from now, then anyone in the queue may take it. A risk notice goes ahead of every caller
        // and ordinary callback waiting (the router's RiskNotice rule): a margin call must reach the client fast.
        var entry = new WaitingCall(Calls.CallIds.New(_time), row.Queue, row.Tier, row.Language, skills, row.DueAt ?? row.RequestedAt, row.OwnerAgent ?? row.AccountManager)
        {
            HoldUntil = row.OwnerAgent is null ? null : now.AddSeconds(_options.OwnerGraceSeconds),
            RiskNotice = row.RiskNotice,
        };
        var queued = row.Status == CallbackStatuses.Queued ? row : row with { Status = CallbackStatuses.Queued, UpdatedAt = now };
        if (!ReferenceEquals(queued, row))
        {
            // Only while it still waits: a claim or a cancel elsewhere is never undone by this.
            _ = MoveWaitingAsync(queued, queued.Attempts);
        }

        lock (_gate)
        {
            _entries[entry.Id] = queued;
        }

        _queues.Enqueue(entry, row.Language, static _ => { });

        // A cancel that came between the two steps above found the entry but not yet in its queue: it
        // is never dialled (the claim finds no entry), but it would stand in the queue's counts.
        if (!IsEntry(entry.Id))
        {
            _queues.Remove(entry.Id);
        }
    }

    private void Tick()
    {
        var now = _time.GetUtcNow();
        List<CallbackRow> due;
        lock (_gate)
        {
            // An agent's outcome no attempt took within ten minutes was for a call that is no callback's.
            foreach (var stale in _agentOutcomes.Where(o => now - o.Value.At > _agentOutcomeWait).Select(o => o.Key).ToList())
            {
                _agentOutcomes.Remove(stale);
            }

            due = [.. _later.Where(r => (r.Status == CallbackStatuses.Scheduled ? r.DueAt : r.NextAttemptAt) <= now)];
            _later.RemoveAll(due.Contains);
        }

        // On a shared database: this node's claims refreshed every second, orphans looked for every fifth; one pass at a time.
        if (_node is not null && Interlocked.Exchange(ref _sweeping, 1) == 0)
        {
            Volatile.Write(ref _sweep, KeepClaimsOnTickAsync(++_ticks % 5 == 0));
        }

        foreach (var row in due)
        {
            try
            {
                Enter(row with { NextAttemptAt = null, Status = CallbackStatuses.Queued, UpdatedAt = now });
            }
            catch (Exception e)
            {
                LogTickFailed(_logger, e, row.Id);
                lock (_gate)
                {
                    _later.Add(row);
                }
            }
        }
    }

    /// <summary>A status change written off the caller's path, after the changes before it; a failure is logged.</summary>
    private void Save(CallbackRow row) => _ = Write(row);

    /// <summary>A preview attempt this process dials (its claim refreshed), or no longer.</summary>
    // An attempt this node dials from now: claimed under its node id, seen now (nobody named on a single platform).
    private CallbackRow ClaimedHere(CallbackRow row, DateTimeOffset now) =>
        row with { ClaimedBy = _node, ClaimSeenAt = _node is null ? null : now };

    private void Previewing(string id, bool dialling)
    {
        lock (_gate)
        {
            _ = dialling ? _previewing.Add(id) : _previewing.Remove(id);
        }
    }

    /// <summary>
    /// An attempt's end (<see cref="CallbackRepository.TryEndAttemptAsync"/>: only while the row is still this node's
    /// attempt <paramref name="callId"/>), after the row's changes before it. False when another node took it over; a
    /// database failure is logged and reads as true (the outcome goes on as before: the row is still this node's).
    /// </summary>
    private Task<bool> EndWriteAsync(CallbackRow row, string callId, string? readCallId)
    {
        lock (_gate)
        {
            var ended = _writes.ContinueWith(
                async _ =>
                {
                    try
                    {
                        return await _store.TryEndAttemptAsync(row, callId, readCallId, _node);
                    }
                    catch (Exception e)
                    {
                        LogSaveFailed(_logger, e, row.Id, row.Status);
                        return true;
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.None,
                TaskScheduler.Default).Unwrap();
            _writes = ended;
            return ended;
        }
    }

    private Task Write(CallbackRow row)
    {
        lock (_gate)
        {
            _writes = _writes.ContinueWith(
                async _ =>
                {
                    try
                    {
                        await _store.UpdateAsync(row);
                    }
                    catch (Exception e)
                    {
                        LogSaveFailed(_logger, e, row.Id, row.Status);
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.None,
                TaskScheduler.Default).Unwrap();
            return _writes;
        }
    }

    /// <summary>
    /// A waiting callback's conditional move (<see cref="CallbackRepository.TryMoveAsync"/> from scheduled or queued with
    /// <paramref name="attempts"/>), after the row's changes before it; false when another writer came first. With
    /// <paramref name="quiet"/> a database failure is logged and reads as false; else it is thrown.
    /// </summary>
    private Task<bool> MoveWaitingAsync(CallbackRow row, int attempts, bool quiet = true)
    {
        lock (_gate)
        {
            var moved = _writes.ContinueWith(
                async _ =>
                {
                    try
                    {
                        return await _store.TryMoveAsync(row, CallbackStatuses.Waiting, attempts);
                    }
                    catch (Exception e) when (quiet)
                    {
                        LogSaveFailed(_logger, e, row.Id, row.Status);
                        return false;
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.None,
                TaskScheduler.Default).Unwrap();
            _writes = moved.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            return moved;
        }
    }

    public void Dispose()
    {
        _tick?.Dispose();
        _booking.Dispose();
    }

    [LoggerMessage(2160, LogLevel.Information, "Callback {CallbackId} to {Number} booked in queue {Queue} ({Source}, call {OriginCallId})")]
    private static partial void LogBooked(ILogger logger, string callbackId, string number, string queue, string source, string originCallId);

    [LoggerMessage(2167, LogLevel.Information, "Callback {CallbackId} to {Number} in queue {Queue} is already booked; kept as it is")]
    private static partial void LogAlreadyBooked(ILogger logger, string callbackId, string number, string queue);

    [LoggerMessage(4462, LogLevel.Information, "Call {CallId}: no callback booked to {Number}: {Reason}")]
    private static partial void LogCallerCapped(ILogger logger, string callId, string number, string reason);

    [LoggerMessage(4463, LogLevel.Information, "Callback {CallbackId} to {Number} in queue {Queue} cancelled by {By}")]
    private static partial void LogCancelled(ILogger logger, string callbackId, string number, string queue, string by);

    [LoggerMessage(2161, LogLevel.Information, "Callback {CallbackId} attempt {CallId} to {Number}: {Outcome}; {Attempts} attempts, now {Status}")]
    private static partial void LogAttempt(ILogger logger, string callbackId, string callId, string number, string outcome, int attempts, string status);

    [LoggerMessage(2162, LogLevel.Error, "Callback {CallbackId} could not be queued again; trying in a second")]
    private static partial void LogTickFailed(ILogger logger, Exception exception, string callbackId);

    [LoggerMessage(7304, LogLevel.Error, "Callback {CallbackId}: its list could not take the attempt's result")]
    private static partial void LogRecordedFailed(ILogger logger, Exception exception, string callbackId);

    [LoggerMessage(4220, LogLevel.Error, "Call {CallId}: a list could not take the answer given on the call")]
    private static partial void LogAnswerFailed(ILogger logger, Exception exception, string callId);

    [LoggerMessage(4112, LogLevel.Information, "Callback {CallbackId}: agent {Agent} recorded {Outcome} for attempt {CallId}; it is not tried again")]
    private static partial void LogAgentOutcome(ILogger logger, string callbackId, string callId, string outcome, string agent);

    [LoggerMessage(4113, LogLevel.Error, "Call {CallId}: the agent's outcome {Outcome} could not be written to its callback")]
    private static partial void LogAgentOutcomeFailed(ILogger logger, Exception exception, string callId, string outcome);

    [LoggerMessage(4114, LogLevel.Warning, "Callback {CallbackId}: claimed elsewhere, cancelled or moved on before entry {EntryId} could dial it; not dialled here")]
    private static partial void LogClaimLost(ILogger logger, string callbackId, string entryId);

    [LoggerMessage(4115, LogLevel.Error, "Callback {CallbackId}: its claim could not be written; not dialled, it enters its queue again in a few seconds")]
    private static partial void LogClaimNotWritten(ILogger logger, Exception exception, string callbackId);

    [LoggerMessage(4116, LogLevel.Information, "Callback {CallbackId}: not cancelled by {By}: it is {Status} now (claimed or moved on first)")]
    private static partial void LogCancelLost(ILogger logger, string callbackId, string status, string by);

    [LoggerMessage(4119, LogLevel.Information, "Callback {CallbackId}: left as it is at start: node {Node}, alive, is dialling it (attempt {CallId})")]
    private static partial void LogLeftToNode(ILogger logger, string callbackId, string node, string callId);

    [LoggerMessage(4120, LogLevel.Warning, "Callback {CallbackId}: attempt {CallId} (claimed by node {Node}) was cut off by a stop; now {Status}, outcome {Outcome}")]
    private static partial void LogTakenBack(ILogger logger, string callbackId, string node, string callId, string status, string outcome);

    [LoggerMessage(4135, LogLevel.Warning, "Callback {CallbackId}: claimed under this node's name {Node} (attempt {CallId}) when it started; queued again only once the node id is confirmed as this process's own (another live process may hold it and be dialling)")]
    private static partial void LogWaitingForNodeId(ILogger logger, string callbackId, string node, string callId);

    [LoggerMessage(4121, LogLevel.Warning, "This node's callback claims could not be refreshed or looked after; trying again in a second")]
    private static partial void LogClaimsNotKept(ILogger logger, Exception exception);

    [LoggerMessage(4122, LogLevel.Warning, "Callback {CallbackId}: attempt {CallId} ended ({Outcome}) but another node took the callback over meanwhile; its outcome is not written and it is not queued again here")]
    private static partial void LogAttemptNotOurs(ILogger logger, string callbackId, string callId, string outcome);

    [LoggerMessage(2163, LogLevel.Warning, "Callback {CallbackId}: writing status {Status} failed")]
    private static partial void LogSaveFailed(ILogger logger, Exception exception, string callbackId, string status);
}
