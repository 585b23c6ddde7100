using CallCenter.Ivr.Flows;

namespace CallCenter.Ivr.Nodes;

/// <summary><c>menu</c>: one key chooses the next node; other keys are invalid attempts.</summary>
internal sealed class MenuNode : IvrInputNode
{
    public MenuNode(string flowId, string id, IvrInputSettings settings, IReadOnlyDictionary<char, IvrTarget> keys, TimeSpan timeout)
        : base(flowId, id, settings)
    {
        Keys = keys;
        Timeout = timeout;
    }

    public IReadOnlyDictionary<char, IvrTarget> Keys { get; }

    public TimeSpan Timeout { get; }

    public override IEnumerable<IvrTarget> Targets => Keys.Values.Concat(FailureTargets);

    protected override TimeSpan FirstTimeout => Timeout;

    public override void OnTimer(IvrRuntime runtime) => FailNoInput(runtime);

    protected override void Accept(IvrRuntime runtime, char key)
    {
        runtime.RecordKey(key);
        if (Keys.TryGetValue(key, out var target))
        {
            runtime.Transition(target);
        }
        else
        {
            FailInvalid(runtime);
        }
    }

    protected override void ConsumeTypeAhead(IvrRuntime runtime)
    {
        if (runtime.TryTakeTypeAhead(out var key))
        {
            Accept(runtime, key);
        }
    }
}
