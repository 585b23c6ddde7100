using System.Net;
using CallCenter.ResourceControl.Calls;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>New calls per source: a share in progress and a share a minute, per address (IPv6: per /64), bounded memory.</summary>
public sealed class CallAdmissionTests
{
    private static readonly DateTimeOffset _t0 = TestCallFacts.T0;
    private static readonly IPAddress _a = IPAddress.Parse("192.0.2.10");
    private static readonly IPAddress _b = IPAddress.Parse("192.0.2.11");

    [Test]
    public void ASourceWithItsShareInProgressIsRefusedUntilOneEndsAndOthersAreNot()
    {
        var admission = new CallAdmission(maxInProgress: 2, maxPerMinute: 100);

        Assert.That(admission.TryAdmit(_a, _t0), Is.EqualTo(AdmissionVerdict.Admitted));
        Assert.That(admission.TryAdmit(_a, _t0), Is.EqualTo(AdmissionVerdict.Admitted));
        Assert.That(admission.TryAdmit(_a, _t0), Is.EqualTo(AdmissionVerdict.TooManyInProgress));
        Assert.That(admission.TryAdmit(_b, _t0), Is.EqualTo(AdmissionVerdict.Admitted), "another source has its own share");

        admission.Release(_a);
        Assert.That(admission.TryAdmit(_a, _t0), Is.EqualTo(AdmissionVerdict.Admitted));
    }

    [Test]
    public void ASourceThatStartedItsShareThisMinuteWaitsForTheBucketToRefill()
    {
        var admission = new CallAdmission(maxInProgress: 100, maxPerMinute: 3);
        for (var i = 0; i < 3; i++)
        {
            Assert.That(admission.TryAdmit(_a, _t0), Is.EqualTo(AdmissionVerdict.Admitted));
            admission.Release(_a);
        }

        Assert.That(admission.TryAdmit(_a, _t0.AddSeconds(1)), Is.EqualTo(AdmissionVerdict.TooManyAttempts));

        // A third of a minute refills one call's worth.
        Assert.That(admission.TryAdmit(_a, _t0.AddSeconds(21)), Is.EqualTo(AdmissionVerdict.Admitted));
        Assert.That(admission.TryAdmit(_a, _t0.AddSeconds(22)), Is.EqualTo(AdmissionVerdict.TooManyAttempts));
    }

    [Test]
    public void AReleaseWithoutAnAdmissionNeverGoesBelowZero()
    {
        var admission = new CallAdmission(maxInProgress: 1, maxPerMinute: 100);
        admission.Release(_a);
        admission.Release(_a);

        Assert.That(admission.TryAdmit(_a, _t0), Is.EqualTo(AdmissionVerdict.Admitted));
        Assert.That(admission.TryAdmit(_a, _t0), Is.EqualTo(AdmissionVerdict.TooManyInProgress));
    }

    [Test]
    public void OneIPv6HostIsOneSourceWhateverAddressOfItsSlash64ItUses()
    {
        var admission = new CallAdmission(maxInProgress: 2, maxPerMinute: 100);

        Assert.That(admission.TryAdmit(IPAddress.Parse("2001:db8:1:2::1"), _t0), Is.EqualTo(AdmissionVerdict.Admitted));
        Assert.That(admission.TryAdmit(IPAddress.Parse("2001:db8:1:2::ffff"), _t0), Is.EqualTo(AdmissionVerdict.Admitted));
        Assert.That(admission.TryAdmit(IPAddress.Parse("2001:db8:1:2:abcd::9"), _t0), Is.EqualTo(AdmissionVerdict.TooManyInProgress));
        Assert.That(admission.TryAdmit(IPAddress.Parse("2001:db8:1:3::1"), _t0), Is.EqualTo(AdmissionVerdict.Admitted));
    }

    [Test]
    public void ASprayOfSourcesIsRememberedUpToTheBoundForgettingThoseAtRest()
    {
        var admission = new CallAdmission(maxInProgress: 5, maxPerMinute: 5, maxSources: 100);
        for (var i = 0; i < 10_000; i++)
        {
            var source = new IPAddress([10, (byte)(i >> 16), (byte)(i >> 8), (byte)i]);
            admission.TryAdmit(source, _t0.AddMinutes(i));
            admission.Release(source);
        }

        Assert.That(admission.Tracked, Is.LessThanOrEqualTo(100));
    }
}
