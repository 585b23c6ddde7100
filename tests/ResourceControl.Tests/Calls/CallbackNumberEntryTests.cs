using CallCenter.ResourceControl.Calls;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>A waiting caller keying in another number to be called back at (<see cref="CallbackNumberEntry"/>).</summary>
public sealed class CallbackNumberEntryTests
{
    private static CallbackNumberEntry Keyed(string keys)
    {
        var entry = CallbackNumberEntry.Start;
        foreach (var key in keys)
        {
            entry = ((CallbackNumberStep.Continue)entry.Key(key)).Entry;
        }

        return entry;
    }

    [Test]
    public void DigitsAreKeptAndHashEndsTheEntryWithThem()
    {
        var entry = Keyed("13900000021");

        Assert.Multiple(() =>
        {
            Assert.That(entry.Digits, Is.EqualTo("13900000021"));
            Assert.That(entry.Timer, Is.EqualTo(11), "each digit starts a new silence timer");
            Assert.That(entry.Key('#'), Is.EqualTo(new CallbackNumberStep.Complete("13900000021")));
        });
    }

    [Test]
    public void StarCancelsAndSilenceWithNothingKeyedCancelsToo()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Keyed("139").Key('*'), Is.TypeOf<CallbackNumberStep.Cancel>());
            Assert.That(CallbackNumberEntry.Start.TimedOut(0), Is.TypeOf<CallbackNumberStep.Cancel>());
        });
    }

    [Test]
    public void SilenceAfterTheLastDigitEndsTheEntryButAnOlderTimerIsStale()
    {
        var entry = Keyed("0216123");

        Assert.Multiple(() =>
        {
            Assert.That(entry.TimedOut(entry.Timer), Is.EqualTo(new CallbackNumberStep.Complete("0216123")));
            Assert.That(entry.TimedOut(entry.Timer - 1), Is.EqualTo(new CallbackNumberStep.Continue(entry)), "a key came after that timer started");
        });
    }

    [Test]
    public void TooManyDigitsEndTheEntrySoTheDialPlanRefusesThem()
    {
        var entry = Keyed(new string('1', CallbackNumberEntry.MaxDigits));

        Assert.That(entry.Key('2'), Is.EqualTo(new CallbackNumberStep.Complete(new string('1', CallbackNumberEntry.MaxDigits) + "2")));
    }
}
