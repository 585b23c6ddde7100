using CallCenter.Ivr.Flows;
using CallCenter.Ivr.Say;

namespace CallCenter.Ivr.Nodes;

/// <summary>
/// <c>say</c>: optional prompts before, the value (of a variable or a literal) read as digits,
/// number, amount or date in the session language, optional prompts after, then next. A
/// variable that is unset or does not read as the kind skips the whole node: half a sentence
/// ("your balance is ... yuan") is worse than none.
/// </summary>
internal sealed class SayNode : IvrPlaybackNode
{
    public SayNode(string flowId, string id, IvrSayKind kind, string? variable, string? literal,
        IReadOnlyList<string> before, IReadOnlyList<string> after, bool bargeIn, IvrTarget next)
        : base(flowId, id, bargeIn, next)
    {
        Kind = kind;
        Variable = variable;
        Literal = literal;
        Before = before;
        After = after;
    }

    public IvrSayKind Kind { get; }

    public string? Variable { get; }

    public string? Literal { get; }

    public IReadOnlyList<string> Before { get; }

    public IReadOnlyList<string> After { get; }

    public override IEnumerable<string> PromptNames => Before.Concat(After);

    public override IEnumerable<string> ReadsVariables => Variable is null ? [] : [Variable];

    protected override IReadOnlyList<string>? Compose(IvrRuntime runtime)
    {
        var text = Variable is null ? Literal : runtime.Resolve(Variable);
        if (!IvrSay.TrySay(runtime.Language, Kind, text, out var spoken))
        {
            return null;
        }

        return [.. Before, .. spoken.Select(p => p.Name), .. After];
    }
}
