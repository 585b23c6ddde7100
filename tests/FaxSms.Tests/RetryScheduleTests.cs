using CallCenter.FaxSms.Outbox;

namespace CallCenter.FaxSms.Tests;

public sealed class RetryScheduleTests
{
    private static readonly RetrySchedule _schedule = new(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(300), 5);

    [TestCase(1, 2)]
    [TestCase(2, 4)]
    [TestCase(3, 8)]
    [TestCase(8, 256)]
    [TestCase(9, 300)]
    [TestCase(1000, 300)]
    public void TheDelayDoublesUpToTheCeiling(int attempts, double seconds) =>
        Assert.That(_schedule.DelayAfter(attempts, 0), Is.EqualTo(TimeSpan.FromSeconds(seconds)));

    [Test]
    public void JitterAddsAtMostAQuarter()
    {
        Assert.That(_schedule.DelayAfter(3, 0.999), Is.GreaterThan(TimeSpan.FromSeconds(8)).And.LessThanOrEqualTo(TimeSpan.FromSeconds(10)));
        Assert.That(_schedule.DelayAfter(20, 1), Is.EqualTo(TimeSpan.FromSeconds(375)));
    }

    [Test]
    public void ATransientFailureIsRetriedUntilTheLastAttemptThenFailsWithTheReason()
    {
        var now = new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
        var first = new OutboundMessage("m1", MessageChannel.Sms, "+8613800000001", null, "x", MessageKind.Ordinary, 1);
        var retry = AttemptOutcome.Decide(first, new SendResult.Transient("Kannel down"), _schedule, now, 0);
        Assert.That(retry, Is.EqualTo(new AttemptOutcome.Retry("m1", now, "Kannel down", now.AddSeconds(2))));

        var last = AttemptOutcome.Decide(first with { Attempts = 5 }, new SendResult.Transient("Kannel down"), _schedule, now, 0);
        Assert.That(last, Is.EqualTo(new AttemptOutcome.Failed("m1", now, "gave up after 5 attempts: Kannel down")));
    }

    [Test]
    public void APermanentRefusalFailsAtOnceAndAnAcceptanceIsSent()
    {
        var now = DateTimeOffset.UnixEpoch;
        var message = new OutboundMessage("m2", MessageChannel.Email, "a@b.cn", "s", "x", MessageKind.Ordinary, 1);
        Assert.That(AttemptOutcome.Decide(message, new SendResult.Permanent("550 no such user"), _schedule, now, 0), Is.TypeOf<AttemptOutcome.Failed>());
        Assert.That(AttemptOutcome.Decide(message, new SendResult.Accepted("250 ok"), _schedule, now, 0), Is.EqualTo(new AttemptOutcome.Sent("m2", now, "250 ok")));
    }

    [TestCase("queued", "delivered", "delivered")]
    [TestCase("queued", "sent", "sent")]
    [TestCase("sent", "delivered", "delivered")]
    [TestCase("sent", "failed", "failed")]
    [TestCase("delivered", "sent", "delivered")]
    [TestCase("delivered", "failed", "delivered")]
    [TestCase("failed", "delivered", "failed")]
    public void AReportNeverMovesAFinalStatusOrGoesBack(string current, string reported, string expected) =>
        Assert.That(MessageStatusOrder.AfterReport(current, reported), Is.EqualTo(expected));
}
