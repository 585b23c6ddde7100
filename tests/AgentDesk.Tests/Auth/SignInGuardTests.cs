using System.Net;
using CallCenter.AgentDesk.Auth;

namespace CallCenter.AgentDesk.Tests.Auth;

public sealed class SignInGuardTests
{
    private const string Attacker = "203.0.113.9";
    private const string AgentDesk = "10.1.2.3";

    private static readonly DateTimeOffset _start = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    private static SignInLimits Limits(int maxTracked = 100) => new(
        MaxFailuresPerLogin: 5,
        Lockout: TimeSpan.FromMinutes(15),
        MaxFailuresPerSource: 20,
        SourceWindow: TimeSpan.FromMinutes(10),
        SourceBan: TimeSpan.FromMinutes(15),
        MaxTracked: maxTracked);

    [Test]
    public void FiveWrongPasswordsLockTheLoginFromThatSourceOnly()
    {
        var guard = new SignInGuard(Limits());
        var verdicts = Enumerable.Range(0, 5).Select(i => guard.Fail("1001", Attacker, _start.AddSeconds(i)).Verdict).ToList();

        Assert.That(verdicts, Is.EqualTo(Enumerable.Repeat(SignInVerdict.Allowed, 4).Append(SignInVerdict.Locked)));
        Assert.That(guard.Check("1001", Attacker, _start.AddMinutes(1)).Verdict, Is.EqualTo(SignInVerdict.Locked));
        Assert.That(guard.Check("1001", AgentDesk, _start.AddMinutes(1)).Verdict, Is.EqualTo(SignInVerdict.Allowed), "the agent's own desk");
        Assert.That(guard.Check("1002", Attacker, _start.AddMinutes(1)).Verdict, Is.EqualTo(SignInVerdict.Allowed), "another login");
    }

    [Test]
    public void ALockEndsAfterTheLockoutAndSaysHowLongItLasts()
    {
        var guard = new SignInGuard(Limits());
        for (var i = 0; i < 5; i++)
        {
            guard.Fail("1001", Attacker, _start);
        }

        var during = guard.Check("1001", Attacker, _start.AddMinutes(10));
        var after = guard.Check("1001", Attacker, _start.AddMinutes(15));

        Assert.That(during, Is.EqualTo(new SignInCheck(SignInVerdict.Locked, TimeSpan.FromMinutes(5))));
        Assert.That(after.Verdict, Is.EqualTo(SignInVerdict.Allowed));
    }

    [Test]
    public void AnUnknownLoginLocksExactlyLikeAKnownOne()
    {
        // The guard never learns whether a login exists: the same calls give the same verdicts.
        var known = new SignInGuard(Limits());
        var unknown = new SignInGuard(Limits());

        var a = Enumerable.Range(0, 7).Select(i => (known.Check("1001", Attacker, _start), known.Fail("1001", Attacker, _start))).ToList();
        var b = Enumerable.Range(0, 7).Select(i => (unknown.Check("nobody", Attacker, _start), unknown.Fail("nobody", Attacker, _start))).ToList();

        Assert.That(a, Is.EqualTo(b));
    }

    [Test]
    public void TwentyFailuresFromOneSourceBanItForEveryLoginAndNotOthers()
    {
        var guard = new SignInGuard(Limits());
        var verdicts = new List<SignInVerdict>();
        for (var i = 0; i < 20; i++)
        {
            // A different login each time: the per-login lock never trips, the source limit does.
            verdicts.Add(guard.Fail("login" + i, Attacker, _start.AddSeconds(i)).Verdict);
        }

        var banned = guard.Check("1001", Attacker, _start.AddMinutes(1));

        Assert.That(verdicts[..19], Has.All.EqualTo(SignInVerdict.Allowed));
        Assert.That(verdicts[19], Is.EqualTo(SignInVerdict.SourceBanned));
        Assert.That(banned, Is.EqualTo(new SignInCheck(SignInVerdict.SourceBanned, TimeSpan.FromMinutes(14) + TimeSpan.FromSeconds(19))));
        Assert.That(guard.Check("1001", AgentDesk, _start.AddMinutes(1)).Verdict, Is.EqualTo(SignInVerdict.Allowed));
        Assert.That(guard.Check("1001", Attacker, _start.AddSeconds(19) + TimeSpan.FromMinutes(15)).Verdict, Is.EqualTo(SignInVerdict.Allowed), "the ban ends");
        Assert.That(guard.Status(_start.AddMinutes(1)) is { Bans: 1, SourcesBanned: 1, Failures: 20 });
    }

    [Test]
    public void HammeringALockedLoginEndsInABanOfTheSource()
    {
        var guard = new SignInGuard(Limits());
        for (var i = 0; i < 5; i++)
        {
            guard.Fail("1001", Attacker, _start);
        }

        var verdicts = Enumerable.Range(0, 15).Select(i => guard.Check("1001", Attacker, _start.AddSeconds(i)).Verdict).ToList();

        Assert.That(verdicts[..14], Has.All.EqualTo(SignInVerdict.Locked));
        Assert.That(verdicts[14], Is.EqualTo(SignInVerdict.SourceBanned));
        Assert.That(guard.Status(_start).Refused, Is.EqualTo(15));
    }

    [Test]
    public void FailuresOutsideTheWindowDoNotAddUp()
    {
        var guard = new SignInGuard(Limits());
        for (var i = 0; i < 19; i++)
        {
            guard.Fail("x" + i, Attacker, _start);
        }

        var later = guard.Fail("y", Attacker, _start.AddMinutes(10));

        Assert.That(later.Verdict, Is.EqualTo(SignInVerdict.Allowed));
    }

    [Test]
    public void ASuccessClearsTheLoginsCountButNotTheSources()
    {
        var guard = new SignInGuard(Limits());
        for (var i = 0; i < 4; i++)
        {
            guard.Fail("1001", Attacker, _start);
        }

        guard.Succeed("1001", Attacker);
        var fifth = guard.Fail("1001", Attacker, _start);
        for (var i = 0; i < 14; i++)
        {
            guard.Fail("other" + i, Attacker, _start);
        }

        // 4 + 1 + 14 = 19 failures; one more bans the source although a sign-in succeeded in between.
        var twentieth = guard.Fail("again", Attacker, _start);

        Assert.That(fifth.Verdict, Is.EqualTo(SignInVerdict.Allowed));
        Assert.That(twentieth.Verdict, Is.EqualTo(SignInVerdict.SourceBanned));
    }

    [Test]
    public void WrongPasswordsInARowAreForgottenAfterALockoutPeriodWithoutOne()
    {
        var guard = new SignInGuard(Limits());
        for (var i = 0; i < 4; i++)
        {
            guard.Fail("1001", AgentDesk, _start);
        }

        var nextDay = guard.Fail("1001", AgentDesk, _start.AddMinutes(15));

        Assert.That(nextDay.Verdict, Is.EqualTo(SignInVerdict.Allowed));
    }

    [Test]
    public void ANewPasswordEndsTheLoginsLocksEverywhere()
    {
        var guard = new SignInGuard(Limits());
        for (var i = 0; i < 5; i++)
        {
            guard.Fail("1001", Attacker, _start);
            guard.Fail("1001", AgentDesk, _start);
        }

        guard.ForgetLogin("1001");

        Assert.That(guard.Check("1001", Attacker, _start).Verdict, Is.EqualTo(SignInVerdict.Allowed));
        Assert.That(guard.Check("1001", AgentDesk, _start).Verdict, Is.EqualTo(SignInVerdict.Allowed));
    }

    [Test]
    public void SprayingSourcesAndLoginsKeepsBothTablesWithinTheirBound()
    {
        var guard = new SignInGuard(Limits(maxTracked: 50));
        for (var i = 0; i < 1_000; i++)
        {
            guard.Fail("login" + i, "198.51.100." + (i % 250) + "-" + i, _start.AddMilliseconds(i));
        }

        var status = guard.Status(_start.AddSeconds(1));

        Assert.That(status.SourcesTracked, Is.LessThanOrEqualTo(50));
        Assert.That(status.PairsTracked, Is.LessThanOrEqualTo(50));
        Assert.That(status.Evictions, Is.GreaterThan(0));
        Assert.That(status.Failures, Is.EqualTo(1_000));
    }

    [Test]
    public void AFullTableDropsExpiredEntriesFirstAndKeepsALockInForce()
    {
        var guard = new SignInGuard(Limits(maxTracked: 3));
        guard.Fail("a", "192.0.2.1", _start);
        guard.Fail("b", "192.0.2.2", _start);
        for (var i = 0; i < 5; i++)
        {
            guard.Fail("1001", Attacker, _start.AddMinutes(5));
        }

        // At +15 min the first two have expired and go; the lock (until +20 min) stays without an eviction.
        guard.Fail("c", "192.0.2.3", _start.AddMinutes(15));
        var expiredFirst = guard.Status(_start.AddMinutes(15)).Evictions;

        // Full of live entries: the oldest one without a lock goes, not the lock.
        guard.Fail("d", "192.0.2.4", _start.AddMinutes(16));
        guard.Fail("e", "192.0.2.5", _start.AddMinutes(17));

        Assert.That(expiredFirst, Is.Zero);
        Assert.That(guard.Status(_start.AddMinutes(17)).Evictions, Is.GreaterThan(0));
        Assert.That(guard.Check("1001", Attacker, _start.AddMinutes(17)).Verdict, Is.EqualTo(SignInVerdict.Locked));
    }

    [TestCase("203.0.113.9", "203.0.113.9")]
    [TestCase("::ffff:203.0.113.9", "203.0.113.9")]
    [TestCase("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [TestCase("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    public void ASourceIsTheIpv4AddressOrTheIpv6Slash64(string address, string source)
    {
        Assert.That(SignInSource.Of(IPAddress.Parse(address)), Is.EqualTo(source));
    }
}
