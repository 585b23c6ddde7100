using CallCenter.Contracts.Desk;
using CallCenter.Data.Callbacks;

namespace CallCenter.ResourceControl.Outbound;

/// <summary>What a caller's request for a queue callback comes to against the callbacks already pending.</summary>
internal abstract record CallerCapDecision
{
    private CallerCapDecision()
    {
    }

    /// <summary>Book a new one.</summary>
    public sealed record Book : CallerCapDecision;

    /// <summary>That number already has a pending queue callback: keep it (and its place), book nothing.</summary>
    public sealed record AlreadyBooked(CallbackRow Existing) : CallerCapDecision;

    /// <summary>The caller holds as many pending queue callbacks as allowed: book nothing.</summary>
    public sealed record Refused(string Reason) : CallerCapDecision;
}

/// <summary>Why a cancellation was refused (the REST API's 404 and 409, the desk's refusals).</summary>
internal enum CancelRefusal
{
    None,
    NotFound,
    NotOwner,
    BelongsToList,
    Dialling,
    Finished,

    /// <summary>Open, but moving into its queue this moment (booked, or leaving its wait): asked again, it is found.</summary>
    Moving,
}

/// <summary>
/// The limits on callbacks (pure): how many queue callbacks one calling number may hold
/// (<see cref="CallbackOptions.MaxPendingPerNumber"/>), how many an agent may own
/// (<see cref="CallbackOptions.MaxPendingPerAgent"/>), whether a callback may be cancelled, and the counts the
/// wallboard shows. <see cref="Callbacks"/> feeds them the callbacks it holds in memory.
/// </summary>
internal static class CallbackLimits
{
    /// <summary>The sources of callbacks a caller asks for from a queue (key 1, key 2 and a number, an overflow).</summary>
    public static bool IsQueueSource(string source) => source is "queue-key" or "queue-key-number" or "overflow";

    /// <summary>
    /// A caller (<paramref name="caller"/>, their number in the dial plan's form) asks for a callback to
    /// <paramref name="number"/>: a pending queue callback to that number is kept (already booked, whichever queue);
    /// else one more is booked only while the caller's pending queue callbacks (to their own number, or asked for by
    /// them) are fewer than <paramref name="max"/>, so one caller cannot fill the queues with callbacks at their tier.
    /// </summary>
    public static CallerCapDecision ForCaller(IEnumerable<CallbackRow> pending, string number, string? caller, int max)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var queued = pending.Where(r => IsQueueSource(r.Source)).OrderBy(r => r.RequestedAt).ToList();
        if (queued.FirstOrDefault(r => r.Number == number) is { } same)
        {
            return new CallerCapDecision.AlreadyBooked(same);
        }

        if (caller is null)
        {
            return new CallerCapDecision.Book();
        }

        // Theirs: asked for by them, or (a row from before requesters were kept) to their own number. A callback
        // another caller keyed to this number is not theirs, or anyone could use up someone else's share.
        var theirs = queued.Count(r => r.RequestedBy == caller || (r.RequestedBy is null && r.Number == caller));
        return theirs >= max
            ? new CallerCapDecision.Refused($"{caller} already has {theirs} callback(s) pending (Callbacks:MaxPendingPerNumber is {max})")
            : new CallerCapDecision.Book();
    }

    /// <summary>A refusal when <paramref name="owner"/> already owns <paramref name="max"/> pending callbacks; null to book.</summary>
    public static string? ForAgent(IEnumerable<CallbackRow> pending, string owner, int max)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var owned = pending.Count(r => r.OwnerAgent == owner);
        return owned >= max
            ? $"agent {owner} already owns {owned} pending callbacks (Callbacks:MaxPendingPerAgent is {max}): cancel one or wait until some are called"
            : null;
    }

    /// <summary>
    /// May <paramref name="row"/> be cancelled (<paramref name="dialling"/>: an agent has it now)? Only while it waits:
    /// not a call list's entry (the list owns its entries and their deadlines), not while it is dialled, not once it
    /// ended. <paramref name="owner"/> (an agent at their desk): only their own.
    /// </summary>
    public static CancelRefusal CanCancel(CallbackRow? row, bool dialling, string? owner)
    {
        if (row is null)
        {
            return CancelRefusal.NotFound;
        }

        if (owner is not null && row.OwnerAgent != owner)
        {
            return CancelRefusal.NotOwner;
        }

        if (row.ListEntryId is not null || row.Source == Callbacks.PreviewSource)
        {
            return CancelRefusal.BelongsToList;
        }

        return dialling || row.Status == CallbackStatuses.Calling ? CancelRefusal.Dialling
            : !CallbackStatuses.IsOpen(row.Status) ? CancelRefusal.Finished
            : CancelRefusal.None;
    }

    /// <summary>The reason in words for a refusal of <paramref name="id"/>.</summary>
    public static string Describe(CancelRefusal refusal, string id, CallbackRow? row) => refusal switch
    {
        CancelRefusal.NotFound => $"no callback {id}",
        CancelRefusal.NotOwner => $"callback {id} is not yours: only its owner, a supervisor or an admin may cancel it",
        CancelRefusal.BelongsToList => $"callback {id} calls an entry of call list {row?.ListId}: close the entry on its list instead",
        CancelRefusal.Dialling => $"callback {id} is being dialled now: it cannot be cancelled mid-call (hang the call up instead)",
        CancelRefusal.Finished => $"callback {id} is already {row?.Status}",
        CancelRefusal.Moving => $"callback {id} is moving into its queue this moment: try again",
        _ => "",
    };

    /// <summary>
    /// The wallboard's counts per queue: <paramref name="inQueue"/> (due now), <paramref name="later"/> and
    /// <paramref name="calling"/>; overdue: waiting (not calling) whose time (a scheduled one's, else when the caller
    /// asked) is more than <paramref name="overdueAfter"/> ago.
    /// </summary>
    public static IReadOnlyList<CallbackCount> Count(IEnumerable<CallbackRow> inQueue, IEnumerable<CallbackRow> later, IEnumerable<CallbackRow> calling, DateTimeOffset now, TimeSpan overdueAfter)
    {
        var rows = inQueue.Select(r => (Row: r, Kind: 0)).Concat(later.Select(r => (Row: r, Kind: 1))).Concat(calling.Select(r => (Row: r, Kind: 2)));
        return
        [
            .. rows.GroupBy(x => x.Row.Queue, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new CallbackCount(
                    g.Key,
                    g.Count(x => x.Kind == 0),
                    g.Count(x => x.Kind == 1),
                    g.Count(x => x.Kind == 2),
                    g.Count(x => x.Kind != 2 && (x.Row.DueAt ?? x.Row.RequestedAt) < now - overdueAfter))),
        ];
    }
}
