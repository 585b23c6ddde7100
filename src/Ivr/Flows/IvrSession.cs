namespace CallCenter.Ivr.Flows;

/// <summary>
/// One caller's walk through a flow. Pure: the host calls <see cref="Start"/> once, carries out
/// the returned actions (play prompts, start timers, queue or hang up), and feeds every DTMF
/// key, playback end, timer expiry, back-office answer and hang-up back through <see cref="Handle"/>, each with the
/// current time. The session ends with a terminal action (<see cref="IvrAction.QueueForAgent"/>
/// or <see cref="IvrAction.HangUp"/>) or when the caller hangs up.
/// </summary>
public sealed class IvrSession
{
    private readonly IvrRuntime _runtime;
    private readonly IvrTarget _start;
    private DateTimeOffset _startedAt;
    private bool _started;

    /// <exception cref="ArgumentException">The flow set has no flow <paramref name="flowId"/>.</exception>
    public IvrSession(IvrFlowSet flows, string flowId, IvrCallContext context)
    {
        ArgumentNullException.ThrowIfNull(flows);
        ArgumentNullException.ThrowIfNull(context);
        if (!flows.TryGetFlow(flowId, out var flow))
        {
            throw new ArgumentException($"No IVR flow '{flowId}'.", nameof(flowId));
        }

        FlowId = flowId;
        _runtime = new IvrRuntime(flows, flow, context);
        _start = new IvrTarget(flow.Id, flow.Start);
    }

    public string FlowId { get; }

    public bool IsFinished => _runtime.IsFinished;

    /// <summary>The language prompts play in: "zh" or "en".</summary>
    public string Language => _runtime.Language;

    /// <summary>The nodes entered, in order, with the keys pressed at each (masked where the node masks).</summary>
    public IReadOnlyList<IvrTraceEntry> Trace => _runtime.Trace;

    /// <summary>The flow-qualified node ids of <see cref="Trace"/>: the call record's <c>ivrPath</c>.</summary>
    public IReadOnlyList<string> Path => IvrTraceEntry.Nodes(_runtime.Trace);

    /// <summary>The node the session is at (flow-qualified), or null before start.</summary>
    public string? CurrentNode => _runtime.Current?.QualifiedId;

    /// <summary>The back-office request the session waits for (<see cref="IvrAction.BackOfficeRequest.RequestId"/>), if any.</summary>
    public long? PendingRequest => _runtime.ActiveRequest;

    /// <summary>The current node takes a masked entry (an account number, a PIN): a recording must hear nothing now.</summary>
    public bool MasksKeys => _runtime.Current?.MasksKeys ?? false;

    /// <summary>The operation of <see cref="PendingRequest"/>, if any.</summary>
    public string? PendingOperation => _runtime.ActiveRequest is null ? null : _runtime.ActiveOperation;

    /// <summary>The terminal action, or null while running or when the caller hung up.</summary>
    public IvrAction? Outcome => _runtime.Outcome;

    /// <summary>Why the session ended: "queued", the hang-up reason, "fallback", "limit", "caller-hung-up"; null while running.</summary>
    public string? EndReason => _runtime.EndReason;

    /// <summary>Variables collected so far (secrets masked in its text form).</summary>
    public IvrVariables Variables => _runtime.Variables;

    /// <summary>A secret collected by a masked node (e.g. the PIN), for the self-service layer only.</summary>
    public string? GetSecret(string name) => _runtime.Variables.GetSecret(name);

    /// <summary>Sets a variable for later nodes (say, branch), e.g. a balance the self-service layer looked up.</summary>
    /// <exception cref="InvalidOperationException">The variable holds a secret (it would become readable).</exception>
    public void SetVariable(string name, string value)
    {
        if (_runtime.Variables.IsSecret(name))
        {
            throw new InvalidOperationException($"Variable '{name}' holds a secret and cannot be overwritten with a public value.");
        }

        _runtime.Variables.Set(name, value);
    }

    public IReadOnlyList<IvrAction> Start(DateTimeOffset now)
    {
        if (_started)
        {
            throw new InvalidOperationException("The session has already started.");
        }

        _started = true;
        _startedAt = now;
        _runtime.Now = now;
        _runtime.Transition(_start);
        _runtime.RunTransitions();
        return _runtime.TakeActions();
    }

    public IReadOnlyList<IvrAction> Handle(IvrEvent e, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (!_started)
        {
            throw new InvalidOperationException("Start the session before handling events.");
        }

        if (_runtime.IsFinished)
        {
            return [];
        }

        _runtime.Now = now;
        var node = _runtime.Current!;
        if (e is IvrEvent.CallerHungUp)
        {
            _runtime.CallerHungUp();
        }
        else if (now - _startedAt > IvrLimits.MaxSessionDuration)
        {
            _runtime.Fallback("limit");
        }
        else
        {
            switch (e)
            {
                case IvrEvent.Digit { Key: (>= '0' and <= '9') or '*' or '#' } digit:
                    node.OnDigit(_runtime, digit.Key);
                    break;
                case IvrEvent.PlaybackFinished finished when finished.PlaybackId == _runtime.ActivePlayback:
                    _runtime.PlaybackEnded();
                    node.OnPlaybackFinished(_runtime);
                    break;
                case IvrEvent.TimerFired fired when fired.TimerId == _runtime.ActiveTimer:
                    _runtime.TimerEnded();
                    node.OnTimer(_runtime);
                    break;
                case IvrEvent.Answered answered when answered.RequestId == _runtime.ActiveRequest:
                    _runtime.RequestEnded();
                    node.OnAnswered(_runtime, answered);
                    break;
                default:
                    // Late events (an answer after the node gave up, a stopped playback, a replaced timer) and unknown keys.
                    break;
            }
        }

        _runtime.RunTransitions();
        return _runtime.TakeActions();
    }

    public override string ToString() =>
        $"IvrSession {{ Flow = {FlowId}, Node = {CurrentNode}, Language = {Language}, Finished = {IsFinished} }}";
}
