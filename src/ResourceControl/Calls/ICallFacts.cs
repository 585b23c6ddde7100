using CallCenter.Data.Calls;
using CallCenter.Data.Catalog;
using CallCenter.Ivr.Flows;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// What is known about a call as business facts, without its plumbing (dialogs, media, mailbox): who
/// calls, who they are to the brokerage, where the IVR and the queue took them, which agents were
/// offered it and for how long. The pure parts of a call (<see cref="CallRecordBuilder"/>,
/// <see cref="ScreenPop"/>) read only this, so they are tested without sockets; <see cref="ActiveCall"/>
/// is the live implementation, owned by the call's loop.
/// </summary>
internal interface ICallFacts
{
    string Id { get; }

    string Caller { get; }

    string Dialed { get; }

    /// <summary>"inbound" or "outbound" (a callback the platform placed); see <see cref="CallDirections"/>.</summary>
    string Direction => CallDirections.Inbound;

    /// <summary>An outbound callback's or list call's attempt (list, entry, attempt number, outcome); null for other calls.</summary>
    OutboundAttemptFacts? OutboundAttempt => null;

    /// <summary>A fax call's T.30 result once the fax has ended; null for other calls (and before the end).</summary>
    CallFax? Fax => null;

    DateTimeOffset StartedAt { get; }

    /// <summary>The caller id came from a trusted peer and was looked up; false: it is only the caller's claim.</summary>
    bool CallerVerified { get; }

    /// <summary>The caller keyed an account's trading PIN in self-service and the back office accepted it.</summary>
    bool VerifiedByPin { get; }

    /// <summary>The fund account whose PIN was verified (<see cref="VerifiedByPin"/>); null when none was.</summary>
    string? VerifiedAccount => null;

    /// <summary>The caller's tier from the directory; null for an unknown caller.</summary>
    string? Tier { get; }

    string? ClientName { get; }

    string? Language { get; }

    string? AccountManager { get; }

    string? AccountManagerName { get; }

    /// <summary>When the client denied the directory's account manager on a new-account call; null when never.</summary>
    DateTimeOffset? ManagerDeniedAt { get; }

    /// <summary>The caller's directory entry, when the look-up found one.</summary>
    ClientRecord? Client { get; }

    /// <summary>The caller's last calls, for the pop.</summary>
    IReadOnlyList<RecentCall> Recent { get; }

    /// <summary>The IVR nodes passed, in order (the record's path).</summary>
    IReadOnlyList<string> IvrPath { get; }

    /// <summary>The IVR nodes with the keys pressed, masked where the flow says (the pop's path).</summary>
    IReadOnlyList<IvrTraceEntry> IvrTrace { get; }

    string? Queue { get; }

    /// <summary>When the caller entered the agents' queue, if they did.</summary>
    DateTimeOffset? QueuedAt { get; }

    /// <summary>The extension of the agent who answered.</summary>
    string? Agent { get; }

    DateTimeOffset? AnsweredAt { get; }

    string? RoutingReason { get; }

    double RingSeconds { get; }

    double HoldSeconds { get; }

    /// <summary>Every agent leg offered, finished ones with their outcome.</summary>
    IReadOnlyList<CallLeg> Legs { get; }
}

/// <summary>
/// What a placed call was for: its call list and entry (if any), which attempt it is (1 for the first), its outcome so far,
/// and what an agent who transferred it away said of it in their wrap-up (wrong number, refused), which the record's
/// outcome takes once the client's side answered (<see cref="Outbound.CallbackPlanner.RecordOutcome"/>).
/// </summary>
internal sealed record OutboundAttemptFacts(string? ListId, string? ListEntryId, int? Attempt, string? Outcome, string? AgentOutcome = null);
