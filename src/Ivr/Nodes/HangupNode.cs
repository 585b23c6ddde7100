using CallCenter.Ivr.Flows;

namespace CallCenter.Ivr.Nodes;

/// <summary><c>hangup</c> (terminal): optional goodbye prompts (not interruptible), then hang up.</summary>
internal sealed class HangupNode : IvrNode
{
    public HangupNode(string flowId, string id, IReadOnlyList<string> prompts, string reason)
        : base(flowId, id)
    {
        Prompts = prompts;
        Reason = reason;
    }

    public IReadOnlyList<string> Prompts { get; }

    public string Reason { get; }

    public override IEnumerable<IvrTarget> Targets => [];

    public override IEnumerable<string> PromptNames => Prompts;

    public override void Enter(IvrRuntime runtime)
    {
        if (Prompts.Count > 0)
        {
            runtime.Play(Prompts, bargeIn: false);
        }
        else
        {
            runtime.Finish(new IvrAction.HangUp(Reason));
        }
    }

    public override void OnPlaybackFinished(IvrRuntime runtime) => runtime.Finish(new IvrAction.HangUp(Reason));
}
