using System.Net;
using CallCenter.Telephony.Sip.Auth;

namespace CallCenter.Telephony.Tests.Sip.Auth;

/// <summary>Digest guessing limits, the decision alone, on a fake clock.</summary>
public sealed class SipAuthLimiterTests
{
    private static readonly DateTimeOffset _start = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
    private static readonly IPAddress _guesser = IPAddress.Parse("203.0.113.66");
    private static readonly IPAddress _agentPhone = IPAddress.Parse("10.1.2.3");

    private static SipAuthLimiter Limiter(int perSource = 5, int perExtension = 10, int maxTracked = 10_000) => new(new SipAuthLimits
    {
        FailuresPerSource = perSource,
        FailuresPerExtension = perExtension,
        Window = TimeSpan.FromSeconds(60),
        Ban = TimeSpan.FromSeconds(300),
        MaxTracked = maxTracked,
    });

    private static IPAddress Address(int i) => new([(byte)(10 + (i >> 16)), (byte)(i >> 8), (byte)i, 1]);

    [Test]
    public void ASourceIsBannedAtTheFailureBeyondItsLimitAndOnlyForTheBanTime()
    {
        var limiter = Limiter();

        var verdicts = Enumerable.Range(0, 6).Select(i => limiter.RecordFailure(_guesser, "1001", _start.AddSeconds(i))).ToList();

        Assert.That(verdicts.Take(5), Has.All.EqualTo(SipAuthBan.None));
        Assert.That(verdicts[5], Is.EqualTo(SipAuthBan.SourceLimit));
        Assert.That(limiter.IsBanned(_guesser, _start.AddSeconds(10)), Is.True);
        Assert.That(limiter.IsBanned(_guesser, _start.AddSeconds(5 + 299)), Is.True);
        Assert.That(limiter.IsBanned(_guesser, _start.AddSeconds(5 + 300)), Is.False);
        Assert.That(limiter.IsBanned(_agentPhone, _start.AddSeconds(10)), Is.False, "another address is not concerned");
        Assert.That(limiter.Failures, Is.EqualTo(6));
        Assert.That(limiter.Bans, Is.EqualTo(1));
        Assert.That(limiter.BannedSources(_start.AddSeconds(10)), Is.EqualTo(1));
        Assert.That(limiter.BannedSources(_start.AddSeconds(400)), Is.Zero);
    }

    [Test]
    public void FailuresDrainAtTheLimitPerWindowSoASlowTypistIsNeverBanned()
    {
        var limiter = Limiter();

        // One wrong password every 12 s is 5 a minute: the bucket never holds more than one.
        var verdicts = Enumerable.Range(0, 100).Select(i => limiter.RecordFailure(_agentPhone, "1001", _start.AddSeconds(12 * i)));

        Assert.That(verdicts, Has.All.EqualTo(SipAuthBan.None));
    }

    [Test]
    public void AGuesserSpreadOverManyAddressesIsBannedPerAddressOnceTheExtensionIsUnderAttack()
    {
        var limiter = Limiter();
        var now = _start;

        // Ten addresses, one guess each: the extension's limit of 10 is reached, nobody banned yet.
        for (var i = 0; i < 10; i++)
        {
            Assert.That(limiter.RecordFailure(Address(i), "1001", now), Is.EqualTo(SipAuthBan.None));
        }

        // From now on every new address is banned at its first wrong password.
        for (var i = 10; i < 20; i++)
        {
            Assert.That(limiter.RecordFailure(Address(i), "1001", now), Is.EqualTo(SipAuthBan.ExtensionLimit));
        }

        Assert.That(limiter.RecordFailure(Address(99), "1002", now), Is.EqualTo(SipAuthBan.None), "other extensions are not under attack");
    }

    [Test]
    public void TheAgentsOwnAddressIsNeitherCountedNorBannedForItsExtensionDuringAnAttack()
    {
        var limiter = Limiter();
        limiter.RecordSuccess(_agentPhone, "1001", _start);
        for (var i = 0; i < 50; i++)
        {
            limiter.RecordFailure(Address(i), "1001", _start.AddSeconds(1));
        }

        // The agent mistypes after a password change: its own address keeps its per-source allowance.
        var verdicts = Enumerable.Range(0, 5).Select(i => limiter.RecordFailure(_agentPhone, "1001", _start.AddSeconds(2 + i))).ToList();

        Assert.That(verdicts, Has.All.EqualTo(SipAuthBan.None));
        Assert.That(limiter.IsBanned(_agentPhone, _start.AddSeconds(10)), Is.False);
    }

    [Test]
    public void AnAddressIsTheExtensionsOwnOnlyForTheExtensionItRegistered()
    {
        var limiter = Limiter();
        limiter.RecordSuccess(_agentPhone, "1001", _start);
        for (var i = 0; i < 10; i++)
        {
            limiter.RecordFailure(Address(i), "1002", _start);
        }

        // 1001's phone now guessing 1002: it never registered 1002.
        Assert.That(limiter.RecordFailure(_agentPhone, "1002", _start), Is.EqualTo(SipAuthBan.ExtensionLimit));
    }

    [Test]
    public void AnIPv6GuesserCountsPerSlash64AndIPv4MappedIsIPv4()
    {
        var limiter = Limiter();

        for (var i = 0; i < 6; i++)
        {
            limiter.RecordFailure(IPAddress.Parse($"2001:db8:1:2::{i + 1:x}"), "1001", _start);
        }

        Assert.That(limiter.IsBanned(IPAddress.Parse("2001:db8:1:2:ffff::1"), _start), Is.True, "a fresh address in the same /64 is the same guesser");
        Assert.That(limiter.IsBanned(IPAddress.Parse("2001:db8:1:3::1"), _start), Is.False);
        for (var i = 0; i < 6; i++)
        {
            limiter.RecordFailure(_guesser, "1001", _start);
        }

        Assert.That(limiter.IsBanned(_guesser.MapToIPv6(), _start), Is.True);
    }

    [Test]
    public void SprayingAddressesAndExtensionsKeepsMemoryBoundedAndBansLast()
    {
        var limiter = Limiter(maxTracked: 100);
        for (var i = 0; i < 6; i++)
        {
            limiter.RecordFailure(_guesser, "1001", _start);
        }

        for (var i = 0; i < 10_000; i++)
        {
            limiter.RecordFailure(Address(i), "x" + i, _start.AddSeconds(1));
            limiter.RecordSuccess(Address(i), "y" + i, _start.AddSeconds(1));
        }

        Assert.That(limiter.TrackedSources, Is.LessThanOrEqualTo(100));
        Assert.That(limiter.TrackedExtensions, Is.LessThanOrEqualTo(100));
        Assert.That(limiter.IsBanned(_guesser, _start.AddSeconds(2)), Is.True, "the spray did not push the ban out");
    }

    [Test]
    public void IdleEntriesAreTheFirstToGoWhenTheTableIsFull()
    {
        var limiter = Limiter(maxTracked: 10);
        for (var i = 0; i < 10; i++)
        {
            limiter.RecordFailure(Address(i), null, _start);
        }

        // An hour later all have drained: a new one fits without pushing out anything still counting.
        limiter.RecordFailure(_guesser, null, _start.AddHours(1));

        Assert.That(limiter.TrackedSources, Is.EqualTo(1));
    }

    [Test]
    public void LongUsernamesAreCountedByTheirBeginning()
    {
        var limiter = Limiter(perExtension: 1);
        var name = new string('7', 10_000);

        limiter.RecordFailure(Address(1), name, _start);

        Assert.That(limiter.RecordFailure(Address(2), name[..SipAuthLimiter.MaxExtensionLength] + "other", _start), Is.EqualTo(SipAuthBan.ExtensionLimit));
    }
}
