namespace CallCenter.Ivr.Flows;

/// <summary>What the host feeds into a session: media, timer and call events.</summary>
public abstract record IvrEvent
{
    private IvrEvent()
    {
    }

    /// <summary>A DTMF key: '0'-'9', '*' or '#'; anything else is ignored.</summary>
    public sealed record Digit(char Key) : IvrEvent
    {
        // The key may belong to a PIN, and nobody knows yet: the text form never shows it.
        public override string ToString() => "Digit { Key = (hidden) }";
    }

    /// <summary>The playback of that id played to its end (a stopped playback needs no event; a late one is ignored).</summary>
    public sealed record PlaybackFinished(long PlaybackId) : IvrEvent;

    /// <summary>The timer of that id expired (cancelled or replaced timers are ignored).</summary>
    public sealed record TimerFired(long TimerId) : IvrEvent;

    /// <summary>
    /// The back office answered a <see cref="IvrAction.BackOfficeRequest"/>: a result of the operation
    /// (or "error"), values to set as variables, and for a list the items the flow reads one by one
    /// (<c>nextItem</c>). A late answer (the session moved on) is ignored.
    /// </summary>
    public sealed record Answered(long RequestId, string Result, IReadOnlyDictionary<string, string> Values, IReadOnlyList<IReadOnlyDictionary<string, string>> Items) : IvrEvent
    {
        public static Answered Error(long requestId) => new(requestId, SelfService.IvrOperations.Error, new Dictionary<string, string>(), []);

        public override string ToString() => $"Answered {{ RequestId = {RequestId}, Result = {Result}, Items = {Items.Count} }}";
    }

    /// <summary>The caller hung up: the session ends without an outcome.</summary>
    public sealed record CallerHungUp : IvrEvent;
}
