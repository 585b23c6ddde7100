using CallCenter.Ivr.Flows;

namespace CallCenter.Ivr.Nodes;

/// <summary>
/// <c>branch</c>: go to the case matching a variable's value (ordinal, ignoring case), else to
/// the default, e.g. on <c>tier</c> to greet VIP clients differently.
/// </summary>
internal sealed class BranchNode : IvrNode
{
    public BranchNode(string flowId, string id, string variable, IReadOnlyDictionary<string, IvrTarget> cases, IvrTarget otherwise)
        : base(flowId, id)
    {
        Variable = variable;
        Cases = cases;
        Otherwise = otherwise;
    }

    public string Variable { get; }

    public IReadOnlyDictionary<string, IvrTarget> Cases { get; }

    public IvrTarget Otherwise { get; }

    public override bool Waits => false;

    public override IEnumerable<IvrTarget> Targets => Cases.Values.Append(Otherwise);

    public override IEnumerable<string> ReadsVariables => [Variable];

    public override void Enter(IvrRuntime runtime)
    {
        var value = runtime.Resolve(Variable);
        runtime.Transition(value is not null && Cases.TryGetValue(value, out var target) ? target : Otherwise);
    }
}
