using System.Globalization;
using CallCenter.Data.Callbacks;
using CallCenter.Data.CallLists;

namespace CallCenter.ResourceControl.Outbound;

/// <summary>The kinds of call list, each an obligation with its own deadline.</summary>
internal static class CallListKinds
{
    public const string General = "general";

    /// <summary>A new account: the client confirms (or denies) their account manager on a recorded call.</summary>
    public const string NewAccount = "new-account";

    /// <summary>A resolved complaint: the client is asked within 24 hours whether they are satisfied.</summary>
    public const string Complaint = "complaint";

    /// <summary>Periodic calls to core clients.</summary>
    public const string CoreClient = "core-client";

    /// <summary>A futures risk notice (margin call, forced liquidation): fast, with SMS as a second channel and proof.</summary>
    public const string RiskNotice = "risk-notice";

    public static readonly IReadOnlyList<string> All = [General, NewAccount, Complaint, CoreClient, RiskNotice];
}

/// <summary>One CSV row or rule's entry, checked: what is stored and then dialled.</summary>
internal sealed record CallListEntryDraft(string Number, string? ClientName, string? AccountManager, string? Note, DateTimeOffset DueBy);

/// <summary>A list's counts for the wallboard and the API.</summary>
internal sealed record CallListSummary(int Open, int Due, int Overdue, int Reached, int Failed, int Refused, int Attempts, double? ContactRate, double? AttemptsPerContact);

/// <summary>
/// The call lists' rules, pure: a row's checks (number through the dial plan and the do-not-call list,
/// a deadline), the deadline a rule gives, when an entry is escalated, what a callback's attempt
/// makes of its entry, and a list's counts.
/// </summary>
internal static class CallListPlanner
{
    public const int MaxTextLength = 200;

    /// <summary>The deadline a list of <paramref name="kind"/> gives an entry made at <paramref name="now"/>.</summary>
    public static DateTimeOffset DeadlineOf(string kind, DateTimeOffset now, CallListOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return kind switch
        {
            CallListKinds.NewAccount => now.AddHours(options.NewAccountHours),
            CallListKinds.Complaint => now.AddHours(options.ComplaintHours),
            CallListKinds.RiskNotice => now.AddMinutes(options.RiskNoticeMinutes),
            _ => now.AddDays(7),
        };
    }

    /// <summary>
    /// The deadline of an entry a back-office event makes: counted from when the event happened
    /// (<paramref name="occurredAt"/>, ISO 8601: a complaint resolved yesterday evening owes its call 24 hours
    /// from then, however late the event is posted), or from <paramref name="now"/> when it is not given. An
    /// event in the future or more than 30 days old is refused: a clock or a field is wrong.
    /// </summary>
    public static (DateTimeOffset? Deadline, string? Refusal) EventDeadline(string kind, string? occurredAt, DateTimeOffset now, CallListOptions options)
    {
        if (string.IsNullOrWhiteSpace(occurredAt))
        {
            return (DeadlineOf(kind, now, options), null);
        }

        if (!DateTimeOffset.TryParse(occurredAt.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return (null, $"occurredAt \"{occurredAt}\" is not an ISO 8601 time");
        }

        return at > now.AddMinutes(5) ? (null, $"occurredAt {at:u} is in the future")
            : at < now.AddDays(-30) ? (null, $"occurredAt {at:u} is more than 30 days ago")
            : (DeadlineOf(kind, at.ToUniversalTime(), options), null);
    }

    /// <summary>
    /// One entry's fields checked: the number must be dialable and not on the do-not-call list
    /// (<paramref name="doNotCall"/> gives the reason for a listed E.164 number); a deadline, when given,
    /// is an ISO 8601 time after <paramref name="now"/> (missing: the kind's).
    /// </summary>
    public static (CallListEntryDraft? Draft, string? Refusal) Check(
        string? number, string? clientName, string? accountManager, string? note, string? dueBy, string kind,
        DialingOptions dialing, Func<string, string?> doNotCall, CallListOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(doNotCall);
        var (dialable, refusal) = DialPlan.Normalize(number, dialing);
        if (dialable is null)
        {
            return (null, refusal!.Reason);
        }

        if (doNotCall(dialable.E164) is { } reason)
        {
            return (null, $"{dialable.E164} is on the do-not-call list ({reason})");
        }

        foreach (var (name, value) in new[] { ("name", clientName), ("accountManager", accountManager), ("note", note) })
        {
            if (value?.Length > MaxTextLength)
            {
                return (null, $"{name} is longer than {MaxTextLength} characters");
            }
        }

        var deadline = DeadlineOf(kind, now, options);
        if (!string.IsNullOrWhiteSpace(dueBy))
        {
            if (!DateTimeOffset.TryParse(dueBy.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return (null, $"dueBy \"{dueBy}\" is not an ISO 8601 time");
            }

            if (parsed <= now || parsed > now.AddDays(366))
            {
                return (null, $"dueBy {parsed:u} must be after now and within a year");
            }

            deadline = parsed.ToUniversalTime();
        }

        return (new CallListEntryDraft(dialable.Dial, Blank(clientName), Blank(accountManager), Blank(note), deadline), null);
    }

    /// <summary>
    /// The core clients whose periodic review call is owed at <paramref name="now"/>: a client of one of
    /// <see cref="CallListOptions.CoreClientTiers"/> whose newest review entry (<paramref name="lastEntry"/>, by the
    /// dialled number, whatever became of it) was made <see cref="CallListOptions.CoreClientEveryDays"/> or more days ago,
    /// or never. A client whose number the dial plan refuses, or whom <paramref name="pausedUntil"/> still pauses (a refusal
    /// remembered by the shell), is left out: they would be refused again at every check.
    /// </summary>
    public static IReadOnlyList<DirectoryClient> CoreClientsDue(
        IEnumerable<DirectoryClient> clients, IReadOnlyDictionary<string, DateTimeOffset> lastEntry, Func<string, DateTimeOffset?> pausedUntil,
        DialingOptions dialing, CallListOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(lastEntry);
        ArgumentNullException.ThrowIfNull(pausedUntil);
        ArgumentNullException.ThrowIfNull(options);
        var due = new List<DirectoryClient>();
        foreach (var client in clients)
        {
            if (!options.CoreClientTiers.Contains(client.Tier, StringComparer.OrdinalIgnoreCase) || pausedUntil(client.Phone) > now)
            {
                continue;
            }

            if (DialPlan.Normalize(client.Phone, dialing).Number is not { } dialable)
            {
                continue;
            }

            if (!lastEntry.TryGetValue(dialable.Dial, out var last) || last.AddDays(options.CoreClientEveryDays) <= now)
            {
                due.Add(client);
            }
        }

        return due;
    }

    /// <summary>An open entry not yet escalated whose deadline is within <see cref="CallListOptions.EscalateMinutesBefore"/> (or past).</summary>
    public static bool NeedsEscalation(CallListEntryRow entry, DateTimeOffset now, CallListOptions options)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(options);
        return CallListStatuses.IsOpen(entry.Status) && entry.EscalatedAt is null && entry.DueBy.AddMinutes(-options.EscalateMinutesBefore) <= now;
    }

    /// <summary>What the attempt <paramref name="callId"/> of the entry's callback (<paramref name="callback"/>, as written after it) makes of the entry.</summary>
    public static CallListEntryRow AfterAttempt(CallListEntryRow entry, CallbackRow callback, string callId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(callback);
        var status = callback.Status switch
        {
            CallbackStatuses.Completed => CallListStatuses.Reached,
            CallbackStatuses.Failed when callback.Outcome == CallbackOutcomes.DoNotCall => CallListStatuses.Refused,
            CallbackStatuses.Failed => CallListStatuses.Failed,
            _ => CallListStatuses.Open,
        };
        var reason = status switch
        {
            CallListStatuses.Refused => "the number went on the do-not-call list",
            CallListStatuses.Failed when callback.Outcome == CallbackOutcomes.WrongNumber => "a wrong number: whoever answered is not the client; not tried again",
            CallListStatuses.Failed when callback.Outcome == CallbackOutcomes.Refused => "the client refused the call; not tried again",
            CallListStatuses.Failed => $"not reached after {callback.Attempts} attempts (last: {callback.Outcome})",
            _ when callback.Outcome == CallbackOutcomes.TrunkDown => "every trunk was down; the entry is tried again, the attempt not counted",
            _ => null,
        };
        // A preview entry waits on its list until its retry time (a progressive one waits as its callback).
        var next = status == CallListStatuses.Open ? callback.NextAttemptAt : null;
        return entry with { Status = status, Attempts = callback.Attempts, Outcome = callback.Outcome, Reason = reason, LastCallId = callId, NextAttemptAt = next, UpdatedAt = now };
    }

    /// <summary>
    /// The counts: open (still owed), due (open, deadline within the escalation lead), overdue (open,
    /// deadline past), reached, failed, refused; contact rate = reached / entries finished (reached or
    /// failed); attempts per contact = every attempt on finished entries / reached.
    /// </summary>
    public static CallListSummary Summarize(IEnumerable<CallListEntryRow> entries, DateTimeOffset now, CallListOptions options)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(options);
        int open = 0, due = 0, overdue = 0, reached = 0, failed = 0, refused = 0, attempts = 0, finishedAttempts = 0;
        foreach (var e in entries)
        {
            attempts += e.Attempts;
            switch (e.Status)
            {
                case var s when CallListStatuses.IsOpen(s):
                    open++;
                    if (e.DueBy < now)
                    {
                        overdue++;
                    }
                    else if (e.DueBy.AddMinutes(-options.EscalateMinutesBefore) <= now)
                    {
                        due++;
                    }

                    break;
                case CallListStatuses.Reached:
                    reached++;
                    finishedAttempts += e.Attempts;
                    break;
                case CallListStatuses.Failed:
                    failed++;
                    finishedAttempts += e.Attempts;
                    break;
                default:
                    refused++;
                    break;
            }
        }

        double? rate = reached + failed == 0 ? null : (double)reached / (reached + failed);
        double? perContact = reached == 0 ? null : (double)finishedAttempts / reached;
        return new(open, due, overdue, reached, failed, refused, attempts, rate, perContact);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
