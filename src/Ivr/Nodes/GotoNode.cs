using CallCenter.Ivr.Flows;

namespace CallCenter.Ivr.Nodes;

/// <summary><c>goto</c>: continue in another flow (at a node, or at its start).</summary>
internal sealed class GotoNode : IvrNode
{
    public GotoNode(string flowId, string id, IvrTarget target)
        : base(flowId, id)
    {
        Target = target;
    }

    /// <summary>The node to continue at; an empty node id (no "node" in the file) until the loader puts in the flow's start.</summary>
    public IvrTarget Target { get; private set; }

    public override bool Waits => false;

    public override IEnumerable<IvrTarget> Targets => [Target];

    public override void Enter(IvrRuntime runtime) => runtime.Transition(Target);

    /// <summary>At load, before any session: a goto without a node goes to the flow's start.</summary>
    public void ResolveStart(string start)
    {
        if (Target.NodeId.Length == 0)
        {
            Target = Target with { NodeId = start };
        }
    }
}
