using CallCenter.Data.Callbacks;

namespace CallCenter.ResourceControl.Outbound;

/// <summary>The outcomes of one attempt to call a client back (the values of <c>callbacks.outcome</c>).</summary>
internal static class CallbackOutcomes
{
    /// <summary>The client answered and was bridged to the agent: the callback is done.</summary>
    public const string Reached = "reached";

    public const string Busy = "busy";

    public const string NoAnswer = "no-answer";

    /// <summary>The carrier says the number does not exist: trying again would not help.</summary>
    public const string WrongNumber = "wrong-number";

    /// <summary>The client (or the carrier) declined the call.</summary>
    public const string Refused = "refused";

    /// <summary>The call failed for a reason that is neither the client's nor the trunk's (another 4xx, a 6xx we do not know).</summary>
    public const string Failed = "failed";

    /// <summary>
    /// Every trunk was down and the last one never answered (no response, no connection, <see cref="TrunkFailover"/>):
    /// the client was never asked, so it is tried again after the retry time without counting against the
    /// callback's attempts, until the callback is <see cref="CallbackPlanner.TrunkDownGiveUp"/> old (then failed).
    /// A server error the last trunk itself sent is a carrier's answer and counts as <see cref="Failed"/>.
    /// </summary>
    public const string TrunkDown = "trunk-down";

    /// <summary>The client's phone answered with no codec we speak.</summary>
    public const string NoUsableCodec = "no-usable-codec";

    /// <summary>The agent left before the client answered; the client's phone was not (or no longer) rung.</summary>
    public const string AgentLeft = "agent-left";

    /// <summary>The platform stopped during the attempt.</summary>
    public const string Interrupted = "interrupted";

    /// <summary>The number went on the do-not-call list: never dialled, never tried again.</summary>
    public const string DoNotCall = "do-not-call";
}

/// <summary>
/// The callback's rules, pure: what a final SIP status of the client's leg means, and what follows an
/// attempt (done, tried again after <see cref="CallbackOptions.RetrySeconds"/>, or failed for good).
/// </summary>
internal static class CallbackPlanner
{
    /// <summary>
    /// How long uncounted trunk-down attempts go on: a callback this old (from its request, or its due time when
    /// later) whose trunks are still down ends failed, so a dead trunk cannot ring an agent for it forever.
    /// </summary>
    public static readonly TimeSpan TrunkDownGiveUp = TimeSpan.FromDays(1);

    /// <summary>
    /// The outcome when every trunk was down (failover ended on the last one): no answer at all (a synthesized
    /// final) is <see cref="CallbackOutcomes.TrunkDown"/>, not counted; a 5xx the last trunk itself sent is a real
    /// carrier answer (a carrier may send 503 for one number, a hostile trunk for every one) and counts as a
    /// <see cref="CallbackOutcomes.Failed"/> attempt.
    /// </summary>
    public static string OutcomeOfTrunksDown(bool synthesized) => synthesized ? CallbackOutcomes.TrunkDown : CallbackOutcomes.Failed;

    /// <summary>The outcome of the client's leg from its final status (RFC 3261 21); <paramref name="ringTimedOut"/>: we gave up ringing.</summary>
    public static string OutcomeOf(int status, bool ringTimedOut) => ringTimedOut
        ? CallbackOutcomes.NoAnswer
        : status switch
        {
            >= 200 and < 300 => CallbackOutcomes.Reached,
            486 or 600 => CallbackOutcomes.Busy,
            408 or 480 or 487 => CallbackOutcomes.NoAnswer,
            404 or 410 or 484 or 485 or 604 => CallbackOutcomes.WrongNumber,
            403 or 603 => CallbackOutcomes.Refused,
            500 or 502 or 503 or 504 => CallbackOutcomes.TrunkDown,
            _ => CallbackOutcomes.Failed,
        };

    /// <summary>
    /// What follows an attempt with <paramref name="outcome"/>; <paramref name="dialled"/>: the client's
    /// number was rung (only then does it count against the callback's own maximum, a list's, or <see cref="CallbackOptions.MaxAttempts"/>).
    /// </summary>
    public static CallbackRow AfterAttempt(CallbackRow callback, string outcome, bool dialled, string callId, CallbackOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(callback);
        ArgumentNullException.ThrowIfNull(options);
        var attempts = callback.Attempts + (dialled ? 1 : 0);
        var moved = callback with { Attempts = attempts, Outcome = outcome, LastCallId = callId, UpdatedAt = now };
        if (outcome == CallbackOutcomes.Reached)
        {
            return moved with { Status = CallbackStatuses.Completed, NextAttemptAt = null };
        }

        // The trunks, not the client, failed: tried again later, whatever the attempts so far, for at most a day.
        if (outcome == CallbackOutcomes.TrunkDown)
        {
            var since = callback.DueAt is { } due && due > callback.RequestedAt ? due : callback.RequestedAt;
            if (now - since >= TrunkDownGiveUp)
            {
                return moved with { Attempts = callback.Attempts, Status = CallbackStatuses.Failed, NextAttemptAt = null };
            }

            return moved with { Attempts = callback.Attempts, Status = CallbackStatuses.Queued, NextAttemptAt = now.AddSeconds(callback.RetrySeconds ?? options.RetrySeconds) };
        }

        // Final whatever the attempts left: the number is not the client's, the client said no, or the list forbids it.
        if (IsFinal(outcome) || attempts >= (callback.MaxAttempts ?? options.MaxAttempts))
        {
            return moved with { Status = CallbackStatuses.Failed, NextAttemptAt = null };
        }

        // Not dialled (the agent left, the platform stopped): back in the queue at once, place kept.
        var next = dialled ? now.AddSeconds(callback.RetrySeconds ?? options.RetrySeconds) : now;
        return moved with { Status = CallbackStatuses.Queued, NextAttemptAt = next };
    }

    /// <summary>
    /// A "calling" callback <paramref name="node"/> leaves at its start: claimed by another named node, however old its
    /// claim looks (clocks differ between nodes; a node's tick takes it over once it has watched the claim stand still).
    /// A single platform (<paramref name="node"/> null) and a row nobody named (before migration 0053) are this node's, as before.
    /// </summary>
    public static bool ClaimedElsewhere(CallbackRow callback, string? node)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return node is not null && callback.ClaimedBy is { } claimedBy && claimedBy != node;
    }

    /// <summary>
    /// A "calling" callback whose attempt a stop cut off: back to its queue, the attempt not counted (outcome
    /// interrupted); or, when the agent already gave that attempt a final outcome (wrong number, refused, kept on the
    /// row), failed with it for good, the attempt counted (the client's number was rung and answered).
    /// </summary>
    public static CallbackRow AfterInterruptedAttempt(CallbackRow callback, CallbackOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (callback is { AgentOutcome: { } said, LastCallId: { } callId } && callback.AgentOutcomeCall == callId
            && AfterAgentOutcome(AfterAttempt(callback, CallbackOutcomes.Interrupted, dialled: true, callId, options, now), said, callId, now) is { } failed)
        {
            return failed;
        }

        return callback with { Status = CallbackStatuses.Queued, Outcome = CallbackOutcomes.Interrupted, UpdatedAt = now };
    }

    /// <summary>Outcomes after which a callback is never tried again, attempts left or not: wrong number, refused, do-not-call.</summary>
    public static bool IsFinal(string outcome) => outcome is CallbackOutcomes.WrongNumber or CallbackOutcomes.Refused or CallbackOutcomes.DoNotCall;

    /// <summary>
    /// The outcome an agent's wrap-up <paramref name="code"/> records on a callback's or list call
    /// (<see cref="CallbackOptions.WrongNumberCode"/>, <see cref="CallbackOptions.RefusedCode"/>), or null for any other code.
    /// </summary>
    public static string? AgentOutcomeOf(string code, CallbackOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return code == options.WrongNumberCode ? CallbackOutcomes.WrongNumber
            : code == options.RefusedCode ? CallbackOutcomes.Refused
            : null;
    }

    /// <summary>
    /// A placed call's outcome as its record keeps it: one the client's side answered (<c>reached</c>) takes what an agent
    /// said of it at wrap-up (<paramref name="agentOutcome"/>: wrong number, refused); any other outcome stays.
    /// </summary>
    public static string? RecordOutcome(string? outcome, string? agentOutcome) =>
        outcome == CallbackOutcomes.Reached && agentOutcome is not null ? agentOutcome : outcome;

    /// <summary>
    /// The agent's outcome (<see cref="AgentOutcomeOf"/>) for the attempt <paramref name="callId"/>: the callback fails for
    /// good with it (its attempts as counted, no retry), whether the attempt had reached someone or was waiting for a
    /// retry; null (nothing changes) when <paramref name="callId"/> is not its last attempt or it was cancelled meanwhile.
    /// </summary>
    public static CallbackRow? AfterAgentOutcome(CallbackRow callback, string outcome, string callId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (callback.LastCallId != callId || callback.Status is CallbackStatuses.Cancelled or CallbackStatuses.Calling || !IsFinal(outcome))
        {
            return null;
        }

        return callback with { Status = CallbackStatuses.Failed, Outcome = outcome, NextAttemptAt = null, UpdatedAt = now };
    }
}
