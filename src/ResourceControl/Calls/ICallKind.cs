namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// One kind of call: how it starts and what it does first. Everything else a call needs is shared and
/// is not the kind's to change: the dispatcher and <see cref="CallDirectory{TCall}"/>, the call's
/// mailbox and loop, <see cref="CallSignalling"/>, the legs the platform rings (<see cref="OutgoingLeg"/>
/// through <see cref="LegLifecycle"/>), bridging and recording, transfer, consult and monitor (they
/// work on any call bridged to an agent), <see cref="CallRecordBuilder"/>, <see cref="WrapUps"/> and
/// <see cref="ScreenPop"/>. The hotline call is <see cref="HotlineCallKind"/>; an outbound call, a
/// callback or a fax is one more implementation (see "Adding a call kind" in the room's README).
/// </summary>
internal interface ICallKind
{
    /// <summary>The kind's name, for logs and the event log ("hotline", "outbound", "fax").</summary>
    string Name { get; }

    /// <summary>
    /// An incoming INVITE to <paramref name="dialed"/>: the label of the line when this kind answers it
    /// (a hotline's kind, the fax number), else null. A kind that only places calls answers none.
    /// </summary>
    string? Answers(string dialed);

    /// <summary>
    /// The call's first step, once its first leg is confirmed and the caller identified (the
    /// <see cref="CallerActions.StartIvr"/> of <see cref="CallerLeg"/>). Pure: it reads the call's facts.
    /// </summary>
    CallKindStart Start(ICallFacts call);
}

/// <summary>What a call of some kind does first, as <see cref="ICallKind.Start"/> decides.</summary>
internal abstract record CallKindStart
{
    private CallKindStart()
    {
    }

    /// <summary>Run the IVR flow <paramref name="FlowId"/> on the caller's leg (it may queue the caller or hang up).</summary>
    public sealed record RunFlow(string FlowId) : CallKindStart;

    /// <summary>Nothing to run: the call waits for its own events (an agent's answer, a queue's offer, a hang-up).</summary>
    public sealed record Wait : CallKindStart;

    /// <summary>Receive a fax on the caller's leg (<see cref="FaxCalls"/>): T.30 over the call's G.711 media.</summary>
    public sealed record ReceiveFax : CallKindStart;
}
