using CallCenter.Telephony.Media;

namespace CallCenter.Telephony.Tests.Media;

public sealed class MonitorRoutingTests
{
    private static readonly MonitorParty[] _parties = [MonitorParty.Caller, MonitorParty.Agent, MonitorParty.Supervisor];

    /// <summary>Every (listener, speaker) pair that hears in the mode, as "listener<-speaker".</summary>
    private static string[] Heard(MonitorMix mode) =>
        [.. from listener in _parties from speaker in _parties where MonitorRouting.Hears(mode, listener, speaker) select $"{listener}<-{speaker}"];

    [Test]
    public void InListenTheSupervisorHearsBothAndNobodyHearsTheSupervisor() =>
        Assert.That(Heard(MonitorMix.Listen), Is.EquivalentTo(new[] { "Caller<-Agent", "Agent<-Caller", "Supervisor<-Caller", "Supervisor<-Agent" }));

    [Test]
    public void InWhisperTheAgentAlsoHearsTheSupervisorButTheCallerDoesNot() =>
        Assert.That(Heard(MonitorMix.Whisper), Is.EquivalentTo(new[] { "Caller<-Agent", "Agent<-Caller", "Supervisor<-Caller", "Supervisor<-Agent", "Agent<-Supervisor" }));

    [Test]
    public void InBargeEveryoneHearsTheOtherTwo() =>
        Assert.That(Heard(MonitorMix.Barge), Is.EquivalentTo(new[] { "Caller<-Agent", "Caller<-Supervisor", "Agent<-Caller", "Agent<-Supervisor", "Supervisor<-Caller", "Supervisor<-Agent" }));

    [Test]
    public void NobodyHearsThemselvesInAnyMode() =>
        Assert.That(Enum.GetValues<MonitorMix>().SelectMany(mode => _parties.Where(p => MonitorRouting.Hears(mode, p, p))), Is.Empty);
}
