namespace CallCenter.Telephony.Media;

/// <summary>
/// Who hears whom on a monitored agent call, per <see cref="MonitorMix"/>: the one table the host
/// wires the legs' relays from, so the wiring and its tests cannot disagree.
/// </summary>
public static class MonitorRouting
{
    /// <summary>True when <paramref name="listener"/> hears <paramref name="speaker"/> in <paramref name="mode"/>; nobody hears themselves.</summary>
    public static bool Hears(MonitorMix mode, MonitorParty listener, MonitorParty speaker) => (listener, speaker) switch
    {
        _ when listener == speaker => false,

        // Caller and agent always hear each other, and the supervisor always hears both.
        (MonitorParty.Caller, MonitorParty.Agent) or (MonitorParty.Agent, MonitorParty.Caller) => true,
        (MonitorParty.Supervisor, _) => true,
        (MonitorParty.Agent, MonitorParty.Supervisor) => mode is MonitorMix.Whisper or MonitorMix.Barge,
        (MonitorParty.Caller, MonitorParty.Supervisor) => mode is MonitorMix.Barge,
        _ => false,
    };
}
