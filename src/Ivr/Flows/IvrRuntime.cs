using System.Text;
using CallCenter.Ivr.Nodes;
using CallCenter.Ivr.Prompts;

namespace CallCenter.Ivr.Flows;

/// <summary>
/// The mutable state of one session and the operations nodes use. Node transitions are queued
/// (<see cref="Transition"/>) and run by <see cref="RunTransitions"/> in a loop, so a chain of
/// nodes never recurses and the visit limit holds.
/// </summary>
internal sealed class IvrRuntime
{
    private readonly List<IvrAction> _actions = [];
    private readonly List<IvrTraceEntry> _trace = [];
    private readonly Queue<char> _typeAhead = new();
    private IvrTarget? _pending;
    private long _lastPlaybackId;
    private long _lastTimerId;
    private long _lastRequestId;
    private readonly Dictionary<string, int> _requestsPerNode = new(StringComparer.Ordinal);
    private Queue<IReadOnlyDictionary<string, string>> _items = new();
    private int _visits;

    public IvrRuntime(IvrFlowSet flows, IvrFlow flow, IvrCallContext context)
    {
        Flows = flows;
        Context = context;
        CurrentFlow = flow;
        Language = IvrLanguages.IsSupported(context.Language) ? context.Language! : flow.Language;
    }

    public IvrFlowSet Flows { get; }

    public IvrCallContext Context { get; }

    public IvrVariables Variables { get; } = new();

    public string Language { get; set; }

    /// <summary>The caller chose the language on this call (a set-language node ran): nothing changes it after that.</summary>
    public bool LanguageChosen { get; set; }

    public IvrFlow CurrentFlow { get; private set; }

    public IvrNode? Current { get; private set; }

    public long? ActivePlayback { get; private set; }

    public long? ActiveTimer { get; private set; }

    /// <summary>The back-office request the current node waits for, if any.</summary>
    public long? ActiveRequest { get; private set; }

    /// <summary>The operation of the last request made.</summary>
    public string? ActiveOperation { get; private set; }

    /// <summary>Failed attempts at the current node.</summary>
    public int Attempts { get; set; }

    /// <summary>Digits entered at the current collect node (may be secret: never log it).</summary>
    public StringBuilder Entry { get; } = new();

    public DateTimeOffset Now { get; set; }

    public bool IsFinished { get; private set; }

    public IvrAction? Outcome { get; private set; }

    public string? EndReason { get; private set; }

    public IReadOnlyList<IvrTraceEntry> Trace => _trace;

    public bool HasTypeAhead => _typeAhead.Count > 0;

    /// <summary>A transition is pending or the session ended: a node must stop acting.</summary>
    public bool IsBusy => _pending is not null || IsFinished;

    public void Transition(IvrTarget target) => _pending = target;

    public void RunTransitions()
    {
        while (_pending is { } target && !IsFinished)
        {
            _pending = null;
            if (++_visits > IvrLimits.MaxNodeVisits)
            {
                Fallback("limit");
                return;
            }

            Enter(Flows.Node(target));
        }
    }

    public List<IvrAction> TakeActions()
    {
        var actions = _actions.ToList();
        _actions.Clear();
        return actions;
    }

    public void Play(IReadOnlyList<string> names, bool bargeIn)
    {
        if (!bargeIn)
        {
            // Keys typed before a prompt that must be heard are not carried past it.
            _typeAhead.Clear();
        }

        StopPlayback();
        var id = ++_lastPlaybackId;
        ActivePlayback = id;
        var language = Language;
        _actions.Add(new IvrAction.Play(id, names.Select(name => new IvrPrompt(language, name)).ToList(), bargeIn));
    }

    public void StopPlayback()
    {
        if (ActivePlayback is { } id)
        {
            ActivePlayback = null;
            _actions.Add(new IvrAction.StopPlayback(id));
        }
    }

    /// <summary>The host reported the end of the active playback.</summary>
    public void PlaybackEnded() => ActivePlayback = null;

    public void StartTimer(TimeSpan after)
    {
        CancelTimer();
        var id = ++_lastTimerId;
        ActiveTimer = id;
        _actions.Add(new IvrAction.StartTimer(id, after));
    }

    public void CancelTimer()
    {
        if (ActiveTimer is { } id)
        {
            ActiveTimer = null;
            _actions.Add(new IvrAction.CancelTimer(id));
        }
    }

    /// <summary>The host reported the active timer expired.</summary>
    public void TimerEnded() => ActiveTimer = null;

    /// <summary>Asks the host to run a back-office operation; its answer comes back as <see cref="IvrEvent.Answered"/>.</summary>
    public void Request(string operation, IReadOnlyDictionary<string, string> inputs)
    {
        var id = ++_lastRequestId;
        ActiveRequest = id;
        ActiveOperation = operation;
        var node = Current!.QualifiedId;
        var attempt = _requestsPerNode[node] = _requestsPerNode.GetValueOrDefault(node) + 1;
        _actions.Add(new IvrAction.BackOfficeRequest(id, $"{node}#{id}", operation, inputs, attempt));
    }

    /// <summary>The active request was answered or given up.</summary>
    public void RequestEnded() => ActiveRequest = null;

    /// <summary>The items of the last list answer, replacing any left from before.</summary>
    public void SetItems(IReadOnlyList<IReadOnlyDictionary<string, string>> items) => _items = new(items);

    public bool TryTakeItem([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IReadOnlyDictionary<string, string>? item) =>
        _items.TryDequeue(out item);

    /// <summary>Keeps a key for the next menu or collect; beyond the cap keys are dropped.</summary>
    public void TypeAhead(char key)
    {
        if (_typeAhead.Count < IvrLimits.MaxTypeAhead)
        {
            _typeAhead.Enqueue(key);
        }
    }

    public bool TryTakeTypeAhead(out char key) => _typeAhead.TryDequeue(out key);

    /// <summary>Adds a key to the current trace entry, as '*' at a masked node.</summary>
    public void RecordKey(char key)
    {
        if (_trace.Count == 0 || Current is null)
        {
            return;
        }

        var last = _trace[^1];
        if (last.Keys.Length < IvrLimits.MaxTraceKeys)
        {
            _trace[^1] = last with { Keys = last.Keys + (Current.MasksKeys ? '*' : key) };
        }
    }

    /// <summary>A built-in (caller, dialed, tier, language), a session variable, or a host-provided one; secrets never.</summary>
    public string? Resolve(string name)
    {
        switch (name)
        {
            case "caller":
                return Context.CallerNumber;
            case "dialed":
                return Context.DialedNumber;
            case "tier":
                return Context.Tier;
            case "language":
                return Language;
        }

        if (Variables.Contains(name))
        {
            return Variables.IsSecret(name) ? null : Variables.Get(name);
        }

        return Context.Variables is { } provided && provided.TryGetValue(name, out var value) ? value : null;
    }

    /// <summary>Ends the session with a terminal action.</summary>
    public void Finish(IvrAction outcome, string? reason = null)
    {
        StopPlayback();
        CancelTimer();
        _typeAhead.Clear();
        Entry.Clear();
        _pending = null;
        _actions.Add(outcome);
        Outcome = outcome;
        EndReason = reason ?? outcome switch
        {
            IvrAction.HangUp hangUp => hangUp.Reason,
            _ => "queued",
        };
        IsFinished = true;
    }

    /// <summary>The flow gave up on the caller (or a limit was hit): an agent of the fallback queue takes over.</summary>
    public void Fallback(string reason = "fallback") =>
        Finish(new IvrAction.QueueForAgent(CurrentFlow.FallbackQueue, [Language], 0), reason);

    public void CallerHungUp()
    {
        StopPlayback();
        CancelTimer();
        _typeAhead.Clear();
        Entry.Clear();
        _pending = null;
        EndReason = "caller-hung-up";
        IsFinished = true;
    }

    private void Enter(IvrNode node)
    {
        StopPlayback();
        CancelTimer();
        ActiveRequest = null;
        Attempts = 0;
        Entry.Clear();
        Current = node;
        if (Flows.TryGetFlow(node.FlowId, out var flow))
        {
            CurrentFlow = flow;
        }

        _trace.Add(new IvrTraceEntry(node.QualifiedId, Now, string.Empty));
        node.Enter(this);
    }
}
