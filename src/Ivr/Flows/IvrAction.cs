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

    /// <summary>
    /// Ask the back office (<see cref="SelfService.IvrOperations"/>): the host runs
    /// <paramref name="Operation"/> off the call's loop and sends <see cref="IvrEvent.Answered"/>
    /// with the same <paramref name="RequestId"/>. <paramref name="Step"/> names the call step
    /// ("95500.transferDo#7") for the idempotency key: a retried request must reuse it.
    /// <paramref name="Inputs"/> may hold secrets (account, PIN): its text form shows only the names.
    /// <paramref name="Attempt"/> counts this node's requests in the session (1 for the first).
    /// </summary>
    public sealed record BackOfficeRequest(long RequestId, string Step, string Operation, IReadOnlyDictionary<string, string> Inputs, int Attempt) : IvrAction
    {
        public override string ToString() =>
            $"BackOfficeRequest {{ RequestId = {RequestId}, Step = {Step}, Operation = {Operation}, Inputs = [{string.Join(", ", Inputs.Keys.Order(StringComparer.Ordinal))}] }}";
    }

    /// <summary>Terminal: hang the call up.</summary>
    public sealed record HangUp(string Reason) : IvrAction;
}
