using CallCenter.Ivr.Flows;
using CallCenter.Ivr.Prompts;
using CallCenter.Ivr.SelfService;

namespace CallCenter.Ivr.Nodes;

/// <summary>
/// <c>backOffice</c>: asks the host to run an operation of <see cref="IvrOperations"/> with the
/// session's variables as inputs (secrets too: only the host sees them), waits for the answer
/// without a prompt, sets the answer's values as variables and goes to the node of its result.
/// Keys pressed meanwhile are kept as type-ahead. No answer within <see cref="Timeout"/> is the
/// result "error"; a result the node does not map goes to <see cref="Otherwise"/>, or without one
/// to the flow's fallback queue (an agent).
/// </summary>
internal sealed class BackOfficeNode : IvrNode
{
    public BackOfficeNode(string flowId, string id, IvrOperation operation, IReadOnlyDictionary<string, IvrTarget> results, IvrTarget? otherwise, TimeSpan timeout)
        : base(flowId, id)
    {
        Operation = operation;
        Results = results;
        Otherwise = otherwise;
        Timeout = timeout;
    }

    public IvrOperation Operation { get; }

    public IReadOnlyDictionary<string, IvrTarget> Results { get; }

    public IvrTarget? Otherwise { get; }

    public TimeSpan Timeout { get; }

    public override IEnumerable<IvrTarget> Targets => Otherwise is { } otherwise ? Results.Values.Append(otherwise) : Results.Values;

    public override IEnumerable<string> InputVariables => Operation.Inputs;

    public override void Enter(IvrRuntime runtime)
    {
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in Operation.Inputs)
        {
            var value = runtime.Variables.IsSecret(name) ? runtime.Variables.GetSecret(name) : runtime.Resolve(name);
            if (value is null)
            {
                // The flow reached here without collecting the input: nothing to ask.
                Go(runtime, IvrOperations.Error);
                return;
            }

            inputs[name] = value;
        }

        runtime.Request(Operation.Name, inputs);
        runtime.StartTimer(Timeout);
    }

    public override void OnDigit(IvrRuntime runtime, char key) => runtime.TypeAhead(key);

    public override void OnTimer(IvrRuntime runtime)
    {
        runtime.RequestEnded();
        Go(runtime, IvrOperations.Error);
    }

    public override void OnAnswered(IvrRuntime runtime, IvrEvent.Answered answer)
    {
        runtime.CancelTimer();
        var result = Operation.HasResult(answer.Result) ? answer.Result : IvrOperations.Error;
        if (!runtime.LanguageChosen && answer.Values.TryGetValue(IvrOperations.ClientLanguage, out var language) && IvrLanguages.IsSupported(language))
        {
            // The client is known now (the PIN): their recorded language, unless the caller chose one on this call
            // (a caller who pressed 2 for English keeps hearing English, whatever the record says).
            runtime.Language = language;
        }

        foreach (var (name, value) in answer.Values)
        {
            // Only the operation's declared outputs: an answer cannot overwrite what the caller keyed.
            if (Operation.Outputs.Contains(name, StringComparer.Ordinal))
            {
                runtime.Variables.Set(name, value);
            }
        }

        // Only a list operation replaces the list being read: cancelling one of today's orders while hearing
        // them must not drop the orders still to come.
        if (Operation.ItemFields.Count > 0)
        {
            runtime.SetItems([.. answer.Items.Take(IvrOperations.MaxItems).Select(Filter)]);
        }

        Go(runtime, result);
    }

    private IReadOnlyDictionary<string, string> Filter(IReadOnlyDictionary<string, string> item) =>
        item.Where(p => Operation.ItemFields.Contains(p.Key, StringComparer.Ordinal)).ToDictionary(StringComparer.Ordinal);

    private void Go(IvrRuntime runtime, string result)
    {
        if (Results.TryGetValue(result, out var target))
        {
            runtime.Transition(target);
        }
        else if (Otherwise is { } otherwise)
        {
            runtime.Transition(otherwise);
        }
        else
        {
            runtime.Fallback();
        }
    }
}
