using CallCenter.ResourceControl.Calls;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>Whether a new INVITE becomes a call, and the refusal's status and headers when it does not.</summary>
public sealed class NewCallPlannerTests
{
    [Test]
    public void AUsableOfferToAHotlineIsAnswered() =>
        Assert.That(NewCallPlanner.Refusal(stopping: false, knownHotline: true, usableOffer: true, null, null), Is.Null);

    [Test]
    public void AStoppingPlatformRefusesEveryCallForHalfAMinuteFirst() =>
        Assert.That(NewCallPlanner.Refusal(stopping: true, knownHotline: false, usableOffer: false, "family", "srtp"), Is.EqualTo(new NewCallRefusal(503, RetryAfter: "30")));

    [Test]
    public void ANumberThatIsNoHotlineIsNotFoundWhateverItsOffer() =>
        Assert.That(NewCallPlanner.Refusal(stopping: false, knownHotline: false, usableOffer: false, null, null), Is.EqualTo(new NewCallRefusal(404)));

    [Test]
    public void AnOfferWithoutG711IsNotAcceptableSayingWhatToOffer()
    {
        var refusal = NewCallPlanner.Refusal(stopping: false, knownHotline: true, usableOffer: false, null, null);

        Assert.That(refusal, Is.EqualTo(new NewCallRefusal(488, NewCallPlanner.NoUsableCodecWarning)));
        Assert.That(refusal!.Warning, Does.StartWith("304 ").And.Contain("PCMU or PCMA"));
    }

    [Test]
    public void TheOtherAddressFamilyIsRefusedBeforeSrtp() =>
        Assert.That(NewCallPlanner.Refusal(stopping: false, knownHotline: true, usableOffer: true, "301 family", "399 srtp"), Is.EqualTo(new NewCallRefusal(488, "301 family")));

    [Test]
    public void AnSrtpOfferWeCannotMeetIsRefusedWithItsWarning() =>
        Assert.That(NewCallPlanner.Refusal(stopping: false, knownHotline: true, usableOffer: true, null, "399 srtp"), Is.EqualTo(new NewCallRefusal(488, "399 srtp")));

    [Test]
    public void AnAdmittedSourceIsNotRefused() =>
        Assert.That(NewCallPlanner.Admission(AdmissionVerdict.Admitted), Is.Null);

    [Test]
    public void TooManyCallsInProgressWaitLessThanTooManyAttempts() => Assert.Multiple(() =>
    {
        Assert.That(NewCallPlanner.Admission(AdmissionVerdict.TooManyInProgress), Is.EqualTo(new NewCallRefusal(503, RetryAfter: "30")));
        Assert.That(NewCallPlanner.Admission(AdmissionVerdict.TooManyAttempts), Is.EqualTo(new NewCallRefusal(503, RetryAfter: "60")));
    });

    [Test]
    public void NoFreeMediaPortIsAShortBusy() =>
        Assert.That(NewCallPlanner.NoMediaPorts, Is.EqualTo(new NewCallRefusal(503, RetryAfter: "5")));
}
