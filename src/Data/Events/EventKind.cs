namespace CallCenter.Data.Events;

/// <summary>
/// The kind of a platform event (<see cref="PlatformEvent.Kind"/> keeps the text): the event log's
/// vocabulary in one place. Writers and readers use these values, so a misspelt kind does not compile;
/// the text ("call.answered") is what the database, the API and the reports keep.
/// </summary>
public readonly record struct EventKind
{
    private readonly string? _value;

    private EventKind(string value) => _value = value;

    public string Value => _value ?? "unknown";

    /// <summary>An agent's state changed (detail: from, to, reason); occupancy is computed from these.</summary>
    public static EventKind AgentState { get; } = new("agent.state");

    /// <summary>The platform answered a caller (detail: caller, dialed, codec, sipCallId).</summary>
    public static EventKind CallAnswered { get; } = new("call.answered");

    /// <summary>An agent answered and the caller is bridged to them (detail: recording).</summary>
    public static EventKind CallBridged { get; } = new("call.bridged");

    /// <summary>The queue overflowed and the caller hears that a callback is booked.</summary>
    public static EventKind CallCallbackOffered { get; } = new("call.callback-offered");

    /// <summary>The caller in a queue asked for a callback, or their overflow booked one (detail: callback, number, queue, source).</summary>
    public static EventKind CallCallbackBooked { get; } = new("call.callback-booked");

    /// <summary>A callback's attempt rings the client through a trunk, its agent already on the line (detail: callback, number, trunk).</summary>
    public static EventKind CallClientRinging { get; } = new("call.client-ringing");

    /// <summary>The client answered a callback and talks to the agent (detail: callback, number).</summary>
    public static EventKind CallClientAnswered { get; } = new("call.client-answered");

    /// <summary>The client did not take a callback's attempt (detail: callback, number, outcome).</summary>
    public static EventKind CallClientFailed { get; } = new("call.client-failed");

    /// <summary>An outside number is rung through a trunk for the call (detail: number, trunk).</summary>
    public static EventKind CallOutsideRinging { get; } = new("call.outside-ringing");

    /// <summary>
    /// A write of the call's record (or one of its events) failed for itself however often it was sent (the database refused
    /// it, or the driver or the serializer could not send it), so it was set aside here rather than holding every record
    /// behind it (detail: error, and the write itself as JSON: nothing is lost).
    /// </summary>
    public static EventKind CallRecordRefused { get; } = new("call.record-refused");

    /// <summary>A fax call's T.30 session ended (detail: fax id, direction, succeeded, pages, bitRate, ecm, code, text).</summary>
    public static EventKind CallFaxEnded { get; } = new("call.fax-ended");

    /// <summary>A hotline call heard a calling fax's CNG tone and receives a fax from now on (detail: dialed, ivrPath, queue).</summary>
    public static EventKind CallFaxToneDetected { get; } = new("call.fax-tone");

    /// <summary>The outside number answered and talks to the caller (detail: number, trunk).</summary>
    public static EventKind CallOutsideBridged { get; } = new("call.outside-bridged");

    /// <summary>The outside number did not take the call (detail: number, outcome); the caller waits again.</summary>
    public static EventKind CallOutsideFailed { get; } = new("call.outside-failed");

    /// <summary>The call's agent consults another agent (detail: to).</summary>
    public static EventKind CallConsult { get; } = new("call.consult");

    /// <summary>A consultation leg ended (detail: outcome).</summary>
    public static EventKind CallConsultEnded { get; } = new("call.consult-ended");

    /// <summary>The consulted agent answered.</summary>
    public static EventKind CallConsulting { get; } = new("call.consulting");

    /// <summary>The agent hung up from the desk.</summary>
    public static EventKind CallDeskHangUp { get; } = new("call.desk-hang-up");

    /// <summary>The call ended (detail: disposition, sipCallId).</summary>
    public static EventKind CallEnded { get; } = new("call.ended");

    /// <summary>The call was put on hold (phone or desk).</summary>
    public static EventKind CallHold { get; } = new("call.hold");

    /// <summary>A supervisor joined the call (detail: supervisor, mode).</summary>
    public static EventKind CallMonitor { get; } = new("call.monitor");

    /// <summary>A supervisor left the call (detail: supervisor, outcome).</summary>
    public static EventKind CallMonitorEnded { get; } = new("call.monitor-ended");

    /// <summary>A supervisor's phone did not take the call (detail: supervisor, outcome).</summary>
    public static EventKind CallMonitorFailed { get; } = new("call.monitor-failed");

    /// <summary>A supervisor changed listen / whisper / barge.</summary>
    public static EventKind CallMonitorMode { get; } = new("call.monitor-mode");

    /// <summary>A supervisor's phone is rung to join the call.</summary>
    public static EventKind CallMonitorOffered { get; } = new("call.monitor-offered");

    /// <summary>An agent's phone did not take the call (detail: outcome).</summary>
    public static EventKind CallOfferFailed { get; } = new("call.offer-failed");

    /// <summary>An agent's phone is rung with the call (detail: routing).</summary>
    public static EventKind CallOffered { get; } = new("call.offered");

    /// <summary>The call came off hold.</summary>
    public static EventKind CallResume { get; } = new("call.resume");

    /// <summary>The call went to another agent (detail: to, attended).</summary>
    public static EventKind CallTransferred { get; } = new("call.transferred");

    /// <summary>An agent's wrap-up code and notes for the call.</summary>
    public static EventKind CallWrapUp { get; } = new("call.wrap-up");

    /// <summary>A call list entry's deadline is near and it is still open: a supervisor is told (detail: list, entry, number, dueBy).</summary>
    public static EventKind ListEscalated { get; } = new("list.escalated");

    /// <summary>A risk notice's SMS went to the outbox as its second channel (detail: list, entry, number, message).</summary>
    public static EventKind ListNoticeSent { get; } = new("list.notice-sent");

    /// <summary>A new-account call's answer (detail: entry, confirmation, by, evidence call); a denial flags the relationship for removal.</summary>
    public static EventKind ListConfirmation { get; } = new("list.confirmation");

    /// <summary>A new-account call's client was asked to confirm their account manager by key (detail: callback, entry).</summary>
    public static EventKind ListClientAsked { get; } = new("list.client-asked");

    /// <summary>A new-account call's question ended with no key from the client after its repeats (detail: callback, entry, asked); the agent's wrap-up code may still record the answer.</summary>
    public static EventKind ListClientNoKey { get; } = new("list.client-no-key");

    /// <summary>An agent took a preview list's entry to look at (detail: list, entry, number).</summary>
    public static EventKind ListPreviewed { get; } = new("list.previewed");

    /// <summary>An agent skipped a previewed entry, or a preview went back to its list (detail: entry, agent, reason).</summary>
    public static EventKind ListPreviewReturned { get; } = new("list.preview-returned");

    public override string ToString() => Value;
}
