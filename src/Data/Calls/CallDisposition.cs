namespace CallCenter.Data.Calls;

/// <summary>
/// Why a call ended, as its record says it (<see cref="CallRecord.Disposition"/> keeps the text). An
/// open vocabulary: the platform's own reasons are the static members, and a flow's hang-up node adds
/// "ivr-" and its reason. Code compares these values, never the text; the text is for storage, the
/// API and the reports.
/// </summary>
public readonly record struct CallDisposition
{
    private readonly string? _value;

    private CallDisposition(string value) => _value = value;

    /// <summary>The text stored and shown ("caller-hung-up").</summary>
    public string Value => _value ?? "unknown";

    /// <summary>The caller's BYE.</summary>
    public static CallDisposition CallerHungUp { get; } = new("caller-hung-up");

    /// <summary>The caller's CANCEL before our 200 reached them.</summary>
    public static CallDisposition Cancelled { get; } = new("cancelled");

    /// <summary>No ACK for our 200 (RFC 3261 13.3.1.4).</summary>
    public static CallDisposition NotConfirmed { get; } = new("not-confirmed");

    /// <summary>The agent's BYE, or the desk's hang-up.</summary>
    public static CallDisposition AgentHungUp { get; } = new("agent-hung-up");

    /// <summary>The outside party the call was transferred to hung up.</summary>
    public static CallDisposition OutsideHungUp { get; } = new("outside-hung-up");

    /// <summary>Not ended yet: only in the progress an open call keeps (never a written record's).</summary>
    public static CallDisposition InProgress { get; } = new("in-progress");

    /// <summary>The platform stopped (or crashed, found at the next start) during the call.</summary>
    public static CallDisposition Interrupted { get; } = new("interrupted");

    /// <summary>A fault of the platform's ended the call.</summary>
    public static CallDisposition InternalError { get; } = new("internal-error");

    /// <summary>The queue overflowed: the caller heard that a callback is booked.</summary>
    public static CallDisposition OverflowCallback { get; } = new("overflow-callback");

    /// <summary>The queue overflowed and no callback could be booked (no trunk, or a caller id that cannot be dialled): the caller heard to call again later.</summary>
    public static CallDisposition OverflowNoCallback { get; } = new("overflow-no-callback");

    /// <summary>The caller in a queue pressed 1: a callback is booked in their place, and the caller heard so.</summary>
    public static CallDisposition CallbackRequested { get; } = new("callback-requested");

    /// <summary>A callback's attempt: the client's number did not answer, was busy or refused (the callback's outcome says which).</summary>
    public static CallDisposition CallbackNotReached { get; } = new("callback-not-reached");

    /// <summary>A click-to-dial whose agent did not take their own call (refused, no answer, no longer available): the client was never rung.</summary>
    public static CallDisposition AgentMissed { get; } = new("agent-missed");

    /// <summary>An outbound call whose agent's browser phone lost its media (DTLS, SRTP, the browser gone): it ends, since no queue waits for it.</summary>
    public static CallDisposition AgentMediaFailed { get; } = new("agent-media-failed");

    /// <summary>The hotline's flow could not run.</summary>
    public static CallDisposition IvrFailed { get; } = new("ivr-failed");

    /// <summary>The queue was full: the caller never waited.</summary>
    public static CallDisposition QueueFull { get; } = new("queue-full");

    /// <summary>A fax call whose T.30 session ended well (the platform hung up after it).</summary>
    public static CallDisposition FaxReceived { get; } = new("fax-received");

    /// <summary>An outbound fax call whose T.30 session ended well (the platform hung up after it).</summary>
    public static CallDisposition FaxSent { get; } = new("fax-sent");

    /// <summary>A fax call whose T.30 session failed or ran out of time (the reason is in the fax's row).</summary>
    public static CallDisposition FaxFailed { get; } = new("fax-failed");

    /// <summary>The caller left before an agent answered: an abandon for the metrics.</summary>
    public bool IsCallerLeaving => this == CallerHungUp || this == Cancelled;

    /// <summary>A flow's hang-up node with its reason ("ivr-closed"; the flow's parser allows letters, digits, '-' and '_').</summary>
    public static CallDisposition IvrHangUp(string reason) => new("ivr-" + reason);

    /// <summary>A disposition read back from a record or a report; compared without case, as the text always was.</summary>
    public static CallDisposition Parse(string stored) => new(stored.ToLowerInvariant());

    public override string ToString() => Value;
}
