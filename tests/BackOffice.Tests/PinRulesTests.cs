using CallCenter.BackOffice.Rules;
using CallCenter.Contracts.BackOffice;

namespace CallCenter.BackOffice.Tests;

public sealed class PinRulesTests
{
    private static readonly DateTimeOffset _t = new(2026, 12, 4, 2, 0, 0, TimeSpan.Zero);

    [TestCase("135790", true)]
    [TestCase("13579", false)]
    [TestCase("1357901", false)]
    [TestCase("13579a", false)]
    [TestCase("１３５７９０", false)]
    [TestCase("", false)]
    public void APinIsSixAsciiDigits(string pin, bool ok) => Assert.That(PinRules.IsWellFormed(pin), Is.EqualTo(ok));

    [Test]
    public void ANewPinIsSixDigitsKeyedTwiceTheSameAndNotTheOldOne()
    {
        Assert.That(PinRules.CheckNew("135790", "246801", "246801"), Is.Null);
        Assert.That(PinRules.CheckNew("135790", "24680", "24680"), Is.EqualTo(PinChangeRefusal.NotSixDigits));
        Assert.That(PinRules.CheckNew("135790", "246801", "246802"), Is.EqualTo(PinChangeRefusal.Mismatch));
        Assert.That(PinRules.CheckNew("135790", "135790", "135790"), Is.EqualTo(PinChangeRefusal.SameAsOld));
    }

    [Test]
    public void AHashIsSaltedSlowAndVerifiesOnlyItsPin()
    {
        var first = PinHasher.Hash("135790");
        var second = PinHasher.Hash("135790");

        Assert.That(first, Is.Not.EqualTo(second), "a random salt per hash");
        Assert.That(first, Does.Not.Contain("135790"));
        Assert.That(first, Does.StartWith("pbkdf2-sha256$100000$"));
        Assert.That(PinHasher.Verify("135790", first), Is.True);
        Assert.That(PinHasher.Verify("135791", first), Is.False);
        Assert.That(PinHasher.Verify("135790", "pbkdf2-sha256$100000$bad$"), Is.False);
        Assert.That(PinHasher.Verify("135790", "plain:135790"), Is.False);
    }

    [Test]
    public void ThreeWrongPinsLockForThirtyMinutesAndARightOneBeforeClearsTheCount()
    {
        var state = PinFailureState.Clear;
        state = PinLockout.After(state, right: false, _t);
        Assert.That(PinLockout.TriesLeft(state), Is.EqualTo(2));
        state = PinLockout.After(state, right: false, _t);
        Assert.That(PinLockout.TriesLeft(state), Is.EqualTo(1));
        Assert.That(PinLockout.After(state, right: true, _t), Is.EqualTo(PinFailureState.Clear));

        state = PinLockout.After(state, right: false, _t);
        Assert.That(PinLockout.IsLocked(state, _t), Is.True);
        Assert.That(state.LockedUntil, Is.EqualTo(_t.AddMinutes(30)));
        Assert.That(PinLockout.IsLocked(PinLockout.Current(state, null, _t.AddMinutes(29)), _t.AddMinutes(29)), Is.True);
        Assert.That(PinLockout.IsLocked(PinLockout.Current(state, null, _t.AddMinutes(30)), _t.AddMinutes(30)), Is.False, "the lock runs out");
        Assert.That(PinLockout.Current(state, null, _t.AddMinutes(30)).Failures, Is.EqualTo(3), "but its failures stay counted");
    }

    [Test]
    public void EachLockAfterALockThatRanOutIsLongerUntilARightPin()
    {
        var now = _t;
        var state = PinFailureState.Clear;
        var locks = new List<TimeSpan>();
        for (var wrong = 1; wrong <= 12; wrong++)
        {
            state = PinLockout.After(PinLockout.Current(state, null, now), right: false, now);
            if (state.LockedUntil is { } until)
            {
                locks.Add(until - now);
                now = until;
            }
            else
            {
                Assert.That(PinLockout.TriesLeft(state), Is.EqualTo(3 - (wrong % 3)), $"wrong PIN {wrong}");
            }
        }

        Assert.That(locks, Is.EqualTo(new[] { TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(24), TimeSpan.FromHours(24) }));
        Assert.That(PinLockout.After(PinLockout.Current(state, null, now), right: true, now), Is.EqualTo(PinFailureState.Clear), "a right PIN after a lock clears all");
    }

    [Test]
    public void ACountLeftAWeekWithNoLockRunningIsForgottenButALockIsNot()
    {
        var two = new PinFailureState(2, null);
        var locked = new PinFailureState(3, _t.AddDays(8));
        var week = PinLockout.ForgetAfter;

        Assert.Multiple(() =>
        {
            Assert.That(PinLockout.Current(two, _t, _t + week - TimeSpan.FromSeconds(1)), Is.EqualTo(two), "a day short of a week: kept");
            Assert.That(PinLockout.Current(two, _t, _t + week), Is.EqualTo(PinFailureState.Clear), "a week after the last wrong PIN: forgotten");
            Assert.That(PinLockout.Current(locked, _t, _t + week), Is.EqualTo(locked), "a lock still running keeps its count");
            Assert.That(PinLockout.Current(locked, _t, _t.AddDays(8)), Is.EqualTo(PinFailureState.Clear), "once the lock has run out, a week old: forgotten");
        });
    }

    [TestCase("000000")]
    [TestCase("888888")]
    [TestCase("123456")]
    [TestCase("456789")]
    [TestCase("654321")]
    [TestCase("987654")]
    public void ANewPinOfOneDigitOrARunIsRefusedAsTooSimple(string pin) =>
        Assert.That(PinRules.CheckNew("135790", pin, pin), Is.EqualTo(PinChangeRefusal.TooSimple));

    [TestCase("123457")]
    [TestCase("112233")]
    [TestCase("890123")]
    [TestCase("246801")]
    public void ANewPinThatIsNoRunIsTaken(string pin) => Assert.That(PinRules.CheckNew("135790", pin, pin), Is.Null);

    [Test]
    public void TodayIsTheCalendarDayInTheBackOfficesZone()
    {
        var shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        // 16:30 UTC on 3 Dec is 00:30 on 4 Dec in Shanghai.
        var (day, start) = BusinessDay.Of(new DateTimeOffset(2026, 12, 3, 16, 30, 0, TimeSpan.Zero), shanghai);
        Assert.That(day, Is.EqualTo("2026-12-04"));
        Assert.That(start, Is.EqualTo(new DateTimeOffset(2026, 12, 3, 16, 0, 0, TimeSpan.Zero)));
    }

    [Test]
    public void AmountsConvertToWholeFenOnly()
    {
        Assert.That(Money.ToFen(100_000.00m), Is.EqualTo(10_000_000));
        Assert.That(Money.FromFen(1), Is.EqualTo(0.01m));
        Assert.That(Money.IsWholeFen(0.015m), Is.False);
        Assert.That(() => Money.ToFen(0.015m), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
