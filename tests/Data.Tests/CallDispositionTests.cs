using CallCenter.Data.Calls;

namespace CallCenter.Data.Tests;

/// <summary>Why a call ended: compared as values, stored as the text the reports and the API have always shown.</summary>
public sealed class CallDispositionTests
{
    [Test]
    public void TheStoredTextIsTheOneReportsAndTheApiKnow()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CallDisposition.CallerHungUp.Value, Is.EqualTo("caller-hung-up"));
            Assert.That(CallDisposition.Cancelled.Value, Is.EqualTo("cancelled"));
            Assert.That(CallDisposition.AgentHungUp.Value, Is.EqualTo("agent-hung-up"));
            Assert.That(CallDisposition.Interrupted.Value, Is.EqualTo("interrupted"));
            Assert.That(CallDisposition.OverflowCallback.Value, Is.EqualTo("overflow-callback"));
            Assert.That(CallDisposition.IvrHangUp("closed").Value, Is.EqualTo("ivr-closed"));
            Assert.That(default(CallDisposition).Value, Is.EqualTo("unknown"));
        });
    }

    [Test]
    public void ATextReadBackEqualsItsValueWhateverItsCase()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CallDisposition.Parse("caller-hung-up"), Is.EqualTo(CallDisposition.CallerHungUp));
            Assert.That(CallDisposition.Parse("Cancelled"), Is.EqualTo(CallDisposition.Cancelled));
            Assert.That(CallDisposition.Parse("ivr-closed"), Is.EqualTo(CallDisposition.IvrHangUp("closed")));
            Assert.That(CallDisposition.Parse("agent-hung-up"), Is.Not.EqualTo(CallDisposition.CallerHungUp));
        });
    }

    [Test]
    public void OnlyTheCallerLeavingCountsAsLeaving()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CallDisposition.CallerHungUp.IsCallerLeaving, Is.True);
            Assert.That(CallDisposition.Parse("CANCELLED").IsCallerLeaving, Is.True);
            Assert.That(CallDisposition.AgentHungUp.IsCallerLeaving, Is.False);
            Assert.That(CallDisposition.NotConfirmed.IsCallerLeaving, Is.False);
            Assert.That(CallDisposition.IvrHangUp("caller-hung-up").IsCallerLeaving, Is.False);
        });
    }
}
