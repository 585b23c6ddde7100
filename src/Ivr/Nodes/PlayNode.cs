using CallCenter.Ivr.Flows;

namespace CallCenter.Ivr.Nodes;

/// <summary><c>play</c>: prompts, then next.</summary>
internal sealed class PlayNode : IvrPlaybackNode
{
    public PlayNode(string flowId, string id, IReadOnlyList<string> prompts, bool bargeIn, IvrTarget next)
        : base(flowId, id, bargeIn, next)
    {
        Prompts = prompts;
    }

    public IReadOnlyList<string> Prompts { get; }

    public override IEnumerable<string> PromptNames => Prompts;

    protected override IReadOnlyList<string> Compose(IvrRuntime runtime) => Prompts;
}
