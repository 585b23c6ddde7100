using CallCenter.Ivr.Flows;

namespace CallCenter.Ivr.Nodes;

/// <summary>
/// <c>collect</c>: digits into a variable. The entry ends at the terminator, at
/// <see cref="MaxDigits"/>, or when the inter-digit timeout passes; fewer than
/// <see cref="MinDigits"/> digits, or a key that is neither a digit nor the terminator, is an
/// invalid attempt. With <see cref="DecimalPoint"/> one '*' is the decimal point ("10*5" is
/// "10.5"); it counts as a digit towards <see cref="MaxDigits"/>. A masked collect stores a secret and shows its keys as '*' in the trace.
/// </summary>
internal sealed class CollectNode : IvrInputNode
{
    public CollectNode(string flowId, string id, IvrInputSettings settings, string variable, int minDigits, int maxDigits,
        char? terminator, TimeSpan firstDigitTimeout, TimeSpan interDigitTimeout, bool masked, IvrTarget next, bool decimalPoint = false, bool strict = false)
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
        DecimalPoint = decimalPoint;
        Strict = strict;
    }

    /// <summary>
    /// The entry ends only at the terminator (or the inter-digit timeout): more than
    /// <see cref="MaxDigits"/> is an overlong entry, an invalid attempt, rather than the cut-off
    /// digits spilling into the next node.
    /// </summary>
    public bool Strict { get; }

    /// <summary>'*' is a decimal point (once per entry, stored as '.'), for prices and amounts.</summary>
    public bool DecimalPoint { get; }

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
        else if (key == '*' && DecimalPoint && !runtime.Entry.ToString().Contains('.', StringComparison.Ordinal))
        {
            runtime.Entry.Append('.');
            runtime.StartTimer(InterDigitTimeout);
        }
        else if (!char.IsAsciiDigit(key))
        {
            FailInvalid(runtime);
        }
        else
        {
            if (!Strict || runtime.Entry.Length <= MaxDigits)
            {
                // Strict: one digit past the limit is kept to mark the entry overlong.
                runtime.Entry.Append(key);
            }

            if (!Strict && runtime.Entry.Length >= MaxDigits)
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
        if (runtime.Entry.Length < MinDigits || runtime.Entry.Length > MaxDigits || runtime.Entry[^1] == '.' || runtime.Entry[0] == '.')
        {
            FailInvalid(runtime);
            return;
        }

        runtime.Variables.Set(Variable, runtime.Entry.ToString(), secret: Masked);
        runtime.Entry.Clear();
        runtime.Transition(Next);
    }
}
