namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// A waiting caller keying in another number to be called back at (in the queue: 2, the number, #), pure:
/// the digits so far and which silence timer is current (<see cref="Timer"/>; a key starts a new one, so an
/// older timer's firing is stale). <see cref="Key"/> and <see cref="TimedOut"/> say what follows.
/// </summary>
internal sealed record CallbackNumberEntry(string Digits, int Timer)
{
    /// <summary>More digits than any dialable number (E.164 has at most 15, with 00 before it 17).</summary>
    public const int MaxDigits = 20;

    /// <summary>Seconds of silence after the prompt or a key before the entry ends (with what was keyed, as if # were pressed).</summary>
    public const int SilenceSeconds = 10;

    public static CallbackNumberEntry Start { get; } = new("", 0);

    /// <summary>The next step after <paramref name="key"/>: a digit is kept, # ends the entry, * cancels it.</summary>
    public CallbackNumberStep Key(char key) => key switch
    {
        >= '0' and <= '9' when Digits.Length >= MaxDigits => new CallbackNumberStep.Complete(Digits + key),
        >= '0' and <= '9' => new CallbackNumberStep.Continue(this with { Digits = Digits + key, Timer = Timer + 1 }),
        '#' => new CallbackNumberStep.Complete(Digits),
        '*' => new CallbackNumberStep.Cancel(),
        _ => new CallbackNumberStep.Continue(this),
    };

    /// <summary>Timer <paramref name="timer"/> fired: stale after a later key; else the entry ends with what was keyed (nothing: cancelled).</summary>
    public CallbackNumberStep TimedOut(int timer) => timer != Timer
        ? new CallbackNumberStep.Continue(this)
        : Digits.Length == 0 ? new CallbackNumberStep.Cancel() : new CallbackNumberStep.Complete(Digits);
}

/// <summary>What a key or a silence does to a <see cref="CallbackNumberEntry"/>.</summary>
internal abstract record CallbackNumberStep
{
    /// <summary>Still keying (<paramref name="Entry"/> with its timer, restarted when a digit came).</summary>
    public sealed record Continue(CallbackNumberEntry Entry) : CallbackNumberStep;

    /// <summary>The entry ended with <paramref name="Digits"/> (too many digits end it too, and the dial plan refuses them).</summary>
    public sealed record Complete(string Digits) : CallbackNumberStep;

    /// <summary>The caller cancelled (*, or silence with nothing keyed): they go on waiting.</summary>
    public sealed record Cancel : CallbackNumberStep;
}
