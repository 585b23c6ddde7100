using CallCenter.Ivr.Flows;

namespace CallCenter.Ivr.Nodes;

/// <summary>
/// What menu and collect share: prompt, wait for keys, and on a failed attempt (no input or an
/// invalid entry) say why and ask again, at most <see cref="Retries"/> times, then go to
/// <see cref="OnFailure"/> or, without one, to the flow's fallback queue (an agent).
/// </summary>
internal abstract class IvrInputNode : IvrNode
{
    protected IvrInputNode(string flowId, string id, IvrInputSettings settings)
        : base(flowId, id)
    {
        Settings = settings;
    }

    public IvrInputSettings Settings { get; }

    public override IEnumerable<string> PromptNames =>
        Settings.Prompts.Concat(Settings.InvalidPrompts).Concat(Settings.NoInputPrompts);

    protected IEnumerable<IvrTarget> FailureTargets => Settings.OnFailure is { } target ? [target] : [];

    /// <summary>The wait after the prompt for the first key.</summary>
    protected abstract TimeSpan FirstTimeout { get; }

    public override void Enter(IvrRuntime runtime) => Prompt(runtime, []);

    public override void OnDigit(IvrRuntime runtime, char key)
    {
        if (runtime.ActivePlayback is not null)
        {
            if (!Settings.BargeIn)
            {
                return;
            }

            runtime.StopPlayback();
        }
        else if (runtime.ActiveTimer is not null)
        {
            runtime.CancelTimer();
        }
        else
        {
            return;
        }

        Accept(runtime, key);
    }

    public override void OnPlaybackFinished(IvrRuntime runtime) => runtime.StartTimer(FirstTimeout);

    /// <summary>Handles one key pressed at this node.</summary>
    protected abstract void Accept(IvrRuntime runtime, char key);

    /// <summary>Uses keys typed ahead instead of prompting.</summary>
    protected abstract void ConsumeTypeAhead(IvrRuntime runtime);

    protected void Prompt(IvrRuntime runtime, IReadOnlyList<string> reason)
    {
        // Type-ahead answers the prompt before it is played; only with barge-in, since a
        // non-barge-in prompt must be heard (Play then discards the type-ahead).
        if (Settings.BargeIn && runtime.HasTypeAhead)
        {
            ConsumeTypeAhead(runtime);
            return;
        }

        IReadOnlyList<string> prompts = [.. reason, .. Settings.Prompts];
        if (prompts.Count == 0)
        {
            runtime.StartTimer(FirstTimeout);
        }
        else
        {
            runtime.Play(prompts, Settings.BargeIn);
        }
    }

    protected void FailNoInput(IvrRuntime runtime) => Fail(runtime, Settings.NoInputPrompts);

    protected void FailInvalid(IvrRuntime runtime) => Fail(runtime, Settings.InvalidPrompts);

    private void Fail(IvrRuntime runtime, IReadOnlyList<string> reason)
    {
        runtime.Entry.Clear();
        runtime.Attempts++;
        if (runtime.Attempts > Settings.Retries)
        {
            if (Settings.OnFailure is { } target)
            {
                runtime.Transition(target);
            }
            else
            {
                runtime.Fallback();
            }

            return;
        }

        Prompt(runtime, reason);
    }
}
