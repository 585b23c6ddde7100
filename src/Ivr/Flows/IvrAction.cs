using CallCenter.Ivr.Prompts;

namespace CallCenter.Ivr.Flows;

/// <summary>What a session asks the host to carry out, in order.</summary>
public abstract record IvrAction
{
    private IvrAction()
    {
    }

    /// <summary>
    /// Play the prompts one after the other and send <see cref="IvrEvent.PlaybackFinished"/> at
    /// the end. <paramref name="BargeIn"/> tells the host the session stops this prompt on a key
    /// (the session sends <see cref="StopPlayback"/> itself; the host just delivers keys).
    /// </summary>
    public sealed record Play(long PlaybackId, IReadOnlyList<IvrPrompt> Prompts, bool BargeIn) : IvrAction
    {
        public override string ToString() =>
            $"Play {{ PlaybackId = {PlaybackId}, Prompts = [{string.Join(", ", Prompts.Select(p => p.Language + "/" + p.Name))}], BargeIn = {BargeIn} }}";
    }

    public sealed record StopPlayback(long PlaybackId) : IvrAction;

    /// <summary>Start a one-shot timer; send <see cref="IvrEvent.TimerFired"/> when it expires.</summary>
    public sealed record StartTimer(long TimerId, TimeSpan After) : IvrAction;

    public sealed record CancelTimer(long TimerId) : IvrAction;

    /// <summary>
    /// Terminal: put the caller in <paramref name="Queue"/> for an agent with these skills.
    /// <paramref name="Priority"/> is the flow's hint (0 normal, higher sooner); the host may
    /// combine it with the client tier.
    /// </summary>
    public sealed record QueueForAgent(string Queue, IReadOnlyList<string> Skills, int Priority) : IvrAction
    {
        public override string ToString() =>
            $"QueueForAgent {{ Queue = {Queue}, Skills = [{string.Join(", ", Skills)}], Priority = {Priority} }}";
    }

    /// <summary>Terminal: hang the call up.</summary>
    public sealed record HangUp(string Reason) : IvrAction;
}
