using CallCenter.Ivr.Flows;

namespace CallCenter.Ivr.Nodes;

/// <summary>
/// <c>nextItem</c>: takes the next item of the last list a <c>backOffice</c> node got (positions,
/// today's orders), sets its fields as variables (every item of an answer has the same fields) and goes
/// to <see cref="Next"/>; with none left it goes to <see cref="Done"/>. A loop nextItem → say … → nextItem reads a list.
/// </summary>
internal sealed class NextItemNode : IvrNode
{
    public NextItemNode(string flowId, string id, IvrTarget next, IvrTarget done)
        : base(flowId, id)
    {
        Next = next;
        Done = done;
    }

    public IvrTarget Next { get; }

    public IvrTarget Done { get; }

    public override bool Waits => false;

    public override IEnumerable<IvrTarget> Targets => [Next, Done];

    public override void Enter(IvrRuntime runtime)
    {
        if (!runtime.TryTakeItem(out var item))
        {
            runtime.Transition(Done);
            return;
        }

        foreach (var (name, value) in item)
        {
            runtime.Variables.Set(name, value);
        }

        runtime.Transition(Next);
    }
}
