using CallCenter.Ivr.Flows;

namespace CallCenter.Ivr.Nodes;

/// <summary>
/// <c>collect</c>: digits into a variable. The entry ends at the terminator, at
/// <see cref="MaxDigits"/>, or when the inter-digit timeout passes; fewer than
/// <see cref="MinDigits"/> digits, or a key that is neither a digit nor the terminator, is an
/// invalid attempt. A masked collect stores a secret and shows its keys as '*' in the trace.
/// </summary>
internal sealed class CollectNode : IvrInputNode
{
    public CollectNode(string flowId, string id, IvrInputSettings settings, string variable, int minDigits, int maxDigits,
        char? terminator, TimeSpan firstDigitTimeout, TimeSpan interDigitTimeout, bool masked, IvrTarget next)
        : base(flowId, id, settings)
    {
        Variable = variable;
        MinDigits = minDigits;
        MaxDigits = maxDigits;
        Terminator = terminator;
        FirstDigitTimeout = firstDigitTimeout;
        InterDigitTimeout = interDigitTimeout;
        Masked = masked;
        Next = next;
    }

    public string Variable { get; }

    public int MinDigits { get; }

    public int MaxDigits { get; }

    public char? Terminator { get; }

    public TimeSpan FirstDigitTimeout { get; }

    public TimeSpan InterDigitTimeout { get; }

    public bool Masked { get; }

    public IvrTarget Next { get; }

    public override bool MasksKeys => Masked;

    public override IEnumerable<IvrTarget> Targets => FailureTargets.Prepend(Next);

    protected override TimeSpan FirstTimeout => FirstDigitTimeout;

    public override void OnTimer(IvrRuntime runtime)
    {
        if (runtime.Entry.Length == 0)
        {
            FailNoInput(runtime);
        }
        else
        {
            Complete(runtime);
        }
    }

    protected override void Accept(IvrRuntime runtime, char key)
    {
        runtime.RecordKey(key);
        if (key == Terminator)
        {
            Complete(runtime);
        }
        else if (!char.IsAsciiDigit(key))
        {
            FailInvalid(runtime);
        }
        else
        {
            runtime.Entry.Append(key);
            if (runtime.Entry.Length >= MaxDigits)
            {
                Complete(runtime);
            }
            else
            {
                runtime.StartTimer(InterDigitTimeout);
            }
        }
    }

    protected override void ConsumeTypeAhead(IvrRuntime runtime)
    {
        while (!runtime.IsBusy && runtime.TryTakeTypeAhead(out var key))
        {
            Accept(runtime, key);
        }
    }

    private void Complete(IvrRuntime runtime)
    {
        if (runtime.Entry.Length < MinDigits)
        {
            FailInvalid(runtime);
            return;
        }

        runtime.Variables.Set(Variable, runtime.Entry.ToString(), secret: Masked);
        runtime.Entry.Clear();
        runtime.Transition(Next);
    }
}
