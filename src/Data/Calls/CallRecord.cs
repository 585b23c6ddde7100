namespace CallCenter.Data.Calls;

/// <summary>
/// What happened on one call, written once when it ends. <see cref="IvrPath"/> holds the flow node
/// ids passed, in order; keys of masked entries never reach it.
/// </summary>
public sealed record CallRecord
{
    public required string Id { get; init; }

    public required string Caller { get; init; }

    public required string Dialed { get; init; }

    /// <summary>"inbound" (a caller rang a hotline) or "outbound" (the platform placed the call: a callback); <see cref="CallDirections"/>.</summary>
    public string Direction { get; init; } = CallDirections.Inbound;

    public string? Tier { get; init; }

    public IReadOnlyList<string> IvrPath { get; init; } = [];

    public string? Queue { get; init; }

    public string? Agent { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset EndedAt { get; init; }

    public double WaitSeconds { get; init; }

    public double TalkSeconds { get; init; }

    public required string Disposition { get; init; }

    public string? Recording { get; init; }

    public string? RecordingSha256 { get; init; }

    /// <summary>When the caller entered the agent queue, if the IVR queued them.</summary>
    public DateTimeOffset? QueuedAt { get; init; }

    /// <summary>When an agent answered, if one did.</summary>
    public DateTimeOffset? AnsweredAt { get; init; }

    /// <summary>Seconds agents' phones rang for this call, all offers together.</summary>
    public double RingSeconds { get; init; }

    public double HoldSeconds { get; init; }

    /// <summary>The answering agent's wrap-up after the call.</summary>
    public double WrapUpSeconds { get; init; }

    /// <summary>The caller's leg and every agent leg offered, in order.</summary>
    public IReadOnlyList<CallLeg> Legs { get; init; } = [];

    /// <summary>Why the answering agent was chosen (the router's explanation).</summary>
    public string? Routing { get; init; }

    /// <summary>The disposition code the agent chose at wrap-up (an active code of <c>disposition_codes</c>), if any.</summary>
    public string? WrapUpCode { get; init; }

    /// <summary>The agent's wrap-up notes, if any.</summary>
    public string? WrapUpNotes { get; init; }

    /// <summary>An outbound call for a call list: the list and the entry.</summary>
    public string? ListId { get; init; }

    public string? ListEntryId { get; init; }

    /// <summary>An outbound callback's or list call's attempt (1 for the first).</summary>
    public int? Attempt { get; init; }

    /// <summary>An outbound call's outcome: reached, no-answer, busy, wrong-number, refused, agent-left, ...</summary>
    public string? Outcome { get; init; }

    /// <summary>A fax call's T.30 result, however the call ended (T.30 done, the far end's BYE, a time limit); null for other calls.</summary>
    public CallFax? Fax { get; init; }
}

/// <summary>
/// What T.30 made of a fax call: the fax's id (its row in <c>faxes</c>), "inbound" or "outbound", the
/// pages across, the image bit rate last used, ECM, spandsp's completion code (0: success) and text, and
/// the pixel rows a received fax's pages arrived with damaged (0 when whole, or when sending).
/// </summary>
public sealed record CallFax(string Id, string Direction, bool Succeeded, int Pages, int BitRate, bool Ecm, int Code, string Text, int BadRows = 0);

/// <summary>One leg of a call: the caller's, or an agent's phone the call was offered to.</summary>
/// <param name="Role">"caller" or "agent".</param>
/// <param name="Party">The caller's number or the agent's extension.</param>
/// <param name="Outcome">For an agent leg: answered, no-answer, rejected (with the SIP status), cancelled, unreachable.</param>
/// <param name="RecordedFrom">
/// A consultation of an outside number that was answered: where it starts in the call's recording, in seconds (the agent
/// on the right, the consulted party on the left, the caller on hold out of it); null for other legs or an unrecorded call.
/// </param>
/// <param name="RecordedTo">Where that consultation ends in the call's recording, in seconds.</param>
public sealed record CallLeg(
    string Role,
    string Party,
    DateTimeOffset StartedAt,
    DateTimeOffset? AnsweredAt,
    DateTimeOffset? EndedAt,
    string Outcome,
    double? RecordedFrom = null,
    double? RecordedTo = null);

/// <summary>The values of <see cref="CallRecord.Direction"/>.</summary>
public static class CallDirections
{
    public const string Inbound = "inbound";

    public const string Outbound = "outbound";
}
