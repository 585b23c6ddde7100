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

    /// <summary>The caller hung up: the session ends without an outcome.</summary>
    public sealed record CallerHungUp : IvrEvent;
}
