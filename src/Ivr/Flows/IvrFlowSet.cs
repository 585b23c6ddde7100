using CallCenter.Ivr.Nodes;

namespace CallCenter.Ivr.Flows;

/// <summary>Every flow of the flow folder, validated together (goto may cross flows).</summary>
public sealed class IvrFlowSet
{
    private readonly Dictionary<string, IvrFlow> _flows;

    internal IvrFlowSet(Dictionary<string, IvrFlow> flows)
    {
        _flows = flows;
    }

    public IReadOnlyCollection<string> FlowIds => _flows.Keys;

    public bool Contains(string flowId) => _flows.ContainsKey(flowId);

    public bool TryGetFlow(string flowId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IvrFlow? flow) =>
        _flows.TryGetValue(flowId, out flow);

    internal IvrNode Node(IvrTarget target) => _flows[target.FlowId].Nodes[target.NodeId];

    internal IEnumerable<IvrFlow> Flows => _flows.Values;
}
