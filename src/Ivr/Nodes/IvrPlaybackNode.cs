using CallCenter.Ivr.Flows;

namespace CallCenter.Ivr.Nodes;

/// <summary>
/// A node that plays something and moves on (play, say). With barge-in a key stops the prompt
/// and is kept as type-ahead for the next menu or collect; keys typed ahead before it skip it.
/// Without barge-in keys are dropped, so a mandatory notice cannot be skipped.
/// </summary>
internal abstract class IvrPlaybackNode : IvrNode
{
    protected IvrPlaybackNode(string flowId, string id, bool bargeIn, IvrTarget next)
        : base(flowId, id)
    {
        BargeIn = bargeIn;
        Next = next;
    }

    public bool BargeIn { get; }

    public IvrTarget Next { get; }

    public override IEnumerable<IvrTarget> Targets => [Next];

    /// <summary>The prompt names to play now, or null to pass on without playing.</summary>
    protected abstract IReadOnlyList<string>? Compose(IvrRuntime runtime);

    public override void Enter(IvrRuntime runtime)
    {
        var prompts = Compose(runtime);
        if (prompts is null or { Count: 0 } || (BargeIn && runtime.HasTypeAhead))
        {
            runtime.Transition(Next);
            return;
        }

        runtime.Play(prompts, BargeIn);
    }

    public override void OnDigit(IvrRuntime runtime, char key)
    {
        if (BargeIn && runtime.ActivePlayback is not null)
        {
            runtime.StopPlayback();
            runtime.TypeAhead(key);
            runtime.Transition(Next);
        }
    }

    public override void OnPlaybackFinished(IvrRuntime runtime) => runtime.Transition(Next);
}
