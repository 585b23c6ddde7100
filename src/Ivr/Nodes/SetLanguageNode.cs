using CallCenter.Ivr.Flows;

namespace CallCenter.Ivr.Nodes;

/// <summary><c>setLanguage</c>: every prompt from here on plays in this language.</summary>
internal sealed class SetLanguageNode : IvrNode
{
    public SetLanguageNode(string flowId, string id, string language, IvrTarget next)
        : base(flowId, id)
    {
        Language = language;
        Next = next;
    }

    public string Language { get; }

    public IvrTarget Next { get; }

    public override bool Waits => false;

    public override IEnumerable<IvrTarget> Targets => [Next];

    public override void Enter(IvrRuntime runtime)
    {
        runtime.Language = Language;
        runtime.LanguageChosen = true;
        runtime.Transition(Next);
    }
}
