using CallCenter.Ivr.Flows;

namespace CallCenter.Ivr.Nodes;

/// <summary>
/// A node of a flow: its settings (immutable, shared by every session) and its behaviour on
/// the session's events. Per-visit state (attempts, digits entered) lives in the runtime.
/// </summary>
internal abstract class IvrNode
{
    protected IvrNode(string flowId, string id)
    {
        FlowId = flowId;
        Id = id;
    }

    public string FlowId { get; }

    public string Id { get; }

    public string QualifiedId => FlowId + "." + Id;

    /// <summary>Keys pressed here show as '*' in the trace.</summary>
    public virtual bool MasksKeys => false;

    /// <summary>False for nodes that pass on at once (no prompt, no input): a cycle of those would never yield.</summary>
    public virtual bool Waits => true;

    /// <summary>Every node this one can lead to, for validation.</summary>
    public abstract IEnumerable<IvrTarget> Targets { get; }

    /// <summary>Every prompt name this node plays, for validation.</summary>
    public virtual IEnumerable<string> PromptNames => [];

    /// <summary>Variables this node reads, for validation.</summary>
    public virtual IEnumerable<string> ReadsVariables => [];

    public abstract void Enter(IvrRuntime runtime);

    /// <summary>A key arrived; by default it is dropped (nothing here listens).</summary>
    public virtual void OnDigit(IvrRuntime runtime, char key)
    {
    }

    public virtual void OnPlaybackFinished(IvrRuntime runtime)
    {
    }

    public virtual void OnTimer(IvrRuntime runtime)
    {
    }

    /// <summary>The back office answered the request this node made.</summary>
    public virtual void OnAnswered(IvrRuntime runtime, IvrEvent.Answered answer)
    {
    }

    /// <summary>Variables this node hands to the back office (secrets allowed), for validation.</summary>
    public virtual IEnumerable<string> InputVariables => [];

    public override string ToString() => $"{GetType().Name} {QualifiedId}";
}
