using CallCenter.Data.Callbacks;
using CallCenter.ResourceControl.Outbound;

namespace CallCenter.ResourceControl.Tests.Outbound;

/// <summary>What a callback's attempt ended in, and what follows it: done, tried again later, or failed for good.</summary>
public sealed class CallbackPlannerTests
{
    private static readonly DateTimeOffset _now = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);
    private static readonly CallbackOptions _options = new() { MaxAttempts = 3, RetrySeconds = 300 };

    private static CallbackRow Callback(int attempts = 0) => new()
    {
        Id = "cb-1",
        Number = "13900000011",
        Queue = "general",
        Language = "zh",
        Source = "queue-key",
        RequestedAt = _now.AddMinutes(-10),
        Status = CallbackStatuses.Calling,
        Attempts = attempts,
        UpdatedAt = _now.AddMinutes(-1),
    };

    [TestCase(200, false, CallbackOutcomes.Reached)]
    [TestCase(486, false, CallbackOutcomes.Busy)]
    [TestCase(600, false, CallbackOutcomes.Busy)]
    [TestCase(480, false, CallbackOutcomes.NoAnswer)]
    [TestCase(408, false, CallbackOutcomes.NoAnswer)]
    [TestCase(487, true, CallbackOutcomes.NoAnswer)]
    [TestCase(404, false, CallbackOutcomes.WrongNumber)]
    [TestCase(484, false, CallbackOutcomes.WrongNumber)]
    [TestCase(603, false, CallbackOutcomes.Refused)]
    [TestCase(403, false, CallbackOutcomes.Refused)]
    [TestCase(503, false, CallbackOutcomes.TrunkDown)]
    [TestCase(500, false, CallbackOutcomes.TrunkDown)]
    [TestCase(501, false, CallbackOutcomes.Failed)]
    [TestCase(400, false, CallbackOutcomes.Failed)]
    public void TheClientsFinalStatusIsTheAttemptsOutcome(int status, bool ringTimedOut, string outcome) =>
        Assert.That(CallbackPlanner.OutcomeOf(status, ringTimedOut), Is.EqualTo(outcome));

    [Test]
    public void AReachedClientCompletesTheCallback()
    {
        var next = CallbackPlanner.AfterAttempt(Callback(), CallbackOutcomes.Reached, dialled: true, "call-1", _options, _now);

        Assert.That((next.Status, next.Attempts, next.Outcome, next.LastCallId, next.NextAttemptAt), Is.EqualTo((CallbackStatuses.Completed, 1, "reached", "call-1", (DateTimeOffset?)null)));
    }

    [Test]
    public void ABusyClientIsTriedAgainAfterTheRetryDelayKeepingTheOriginalPlace()
    {
        var next = CallbackPlanner.AfterAttempt(Callback(), CallbackOutcomes.Busy, dialled: true, "call-1", _options, _now);

        Assert.Multiple(() =>
        {
            Assert.That(next.Status, Is.EqualTo(CallbackStatuses.Queued));
            Assert.That(next.Attempts, Is.EqualTo(1));
            Assert.That(next.NextAttemptAt, Is.EqualTo(_now.AddSeconds(300)));
            Assert.That(next.RequestedAt, Is.EqualTo(_now.AddMinutes(-10)), "the place in the queue is kept");
        });
    }

    [Test]
    public void TheLastAllowedAttemptFailsTheCallbackForGood()
    {
        var next = CallbackPlanner.AfterAttempt(Callback(attempts: 2), CallbackOutcomes.NoAnswer, dialled: true, "call-3", _options, _now);

        Assert.That((next.Status, next.Attempts, next.Outcome, next.NextAttemptAt), Is.EqualTo((CallbackStatuses.Failed, 3, "no-answer", (DateTimeOffset?)null)));
    }

    [Test]
    public void AWrongNumberIsNotTriedAgain()
    {
        var next = CallbackPlanner.AfterAttempt(Callback(), CallbackOutcomes.WrongNumber, dialled: true, "call-1", _options, _now);

        Assert.That((next.Status, next.Attempts), Is.EqualTo((CallbackStatuses.Failed, 1)));
    }

    [Test]
    public void AClientWhoRefusedIsNotTriedAgainThoughAttemptsAreLeft()
    {
        var next = CallbackPlanner.AfterAttempt(Callback(), CallbackOutcomes.Refused, dialled: true, "call-1", _options, _now);

        Assert.That((next.Status, next.Attempts, next.Outcome, next.NextAttemptAt), Is.EqualTo((CallbackStatuses.Failed, 1, "refused", (DateTimeOffset?)null)));
    }

    [TestCase("wrong-number", CallbackOutcomes.WrongNumber)]
    [TestCase("refused", CallbackOutcomes.Refused)]
    [TestCase("resolved", null)]
    [TestCase("manager-denied", null)]
    public void AnAgentsWrapUpCodeIsAnOutcomeOnlyForWrongNumberAndRefused(string code, string? outcome) =>
        Assert.That(CallbackPlanner.AgentOutcomeOf(code, _options), Is.EqualTo(outcome));

    [Test]
    public void TheAgentsWrongNumberFailsAReachedCallbackForGood()
    {
        var reached = CallbackPlanner.AfterAttempt(Callback(), CallbackOutcomes.Reached, dialled: true, "call-1", _options, _now);

        var failed = CallbackPlanner.AfterAgentOutcome(reached, CallbackOutcomes.WrongNumber, "call-1", _now.AddMinutes(1));

        Assert.That((failed!.Status, failed.Attempts, failed.Outcome, failed.NextAttemptAt, failed.LastCallId),
            Is.EqualTo((CallbackStatuses.Failed, 1, "wrong-number", (DateTimeOffset?)null, "call-1")));
    }

    [Test]
    public void TheAgentsRefusedCancelsTheRetryAnAttemptWasWaitingFor()
    {
        // The client said "do not call me" and hung up before the agent was bridged: busy, a retry waits; the agent says refused.
        var waiting = CallbackPlanner.AfterAttempt(Callback(), CallbackOutcomes.Busy, dialled: true, "call-1", _options, _now);

        var failed = CallbackPlanner.AfterAgentOutcome(waiting, CallbackOutcomes.Refused, "call-1", _now.AddMinutes(1));

        Assert.Multiple(() =>
        {
            Assert.That(waiting.NextAttemptAt, Is.Not.Null, "a retry was waiting");
            Assert.That((failed!.Status, failed.Outcome, failed.NextAttemptAt), Is.EqualTo((CallbackStatuses.Failed, "refused", (DateTimeOffset?)null)));
        });
    }

    [Test]
    public void TheAgentsOutcomeChangesNothingOnAnotherAttemptACancelledCallbackOrOneBeingDialled()
    {
        var reached = CallbackPlanner.AfterAttempt(Callback(), CallbackOutcomes.Reached, dialled: true, "call-1", _options, _now);

        Assert.Multiple(() =>
        {
            Assert.That(CallbackPlanner.AfterAgentOutcome(reached, CallbackOutcomes.WrongNumber, "call-0", _now), Is.Null, "not its last attempt");
            Assert.That(CallbackPlanner.AfterAgentOutcome(reached with { Status = CallbackStatuses.Cancelled }, CallbackOutcomes.WrongNumber, "call-1", _now), Is.Null);
            Assert.That(CallbackPlanner.AfterAgentOutcome(reached with { Status = CallbackStatuses.Calling }, CallbackOutcomes.WrongNumber, "call-1", _now), Is.Null);
            Assert.That(CallbackPlanner.AfterAgentOutcome(reached, CallbackOutcomes.Busy, "call-1", _now), Is.Null, "only a final outcome");
        });
    }

    [Test]
    public void AnAttemptThatNeverRangTheClientDoesNotCountAndQueuesAgainAtOnce()
    {
        var next = CallbackPlanner.AfterAttempt(Callback(attempts: 2), CallbackOutcomes.AgentLeft, dialled: false, "call-3", _options, _now);

        Assert.That((next.Status, next.Attempts, next.NextAttemptAt), Is.EqualTo((CallbackStatuses.Queued, 2, (DateTimeOffset?)_now)));
    }

    [Test]
    public void EveryTrunkDownIsTriedAgainAfterTheRetryDelayEvenOnTheLastAttemptAndNeverCounted()
    {
        var next = CallbackPlanner.AfterAttempt(Callback(attempts: 2), CallbackOutcomes.TrunkDown, dialled: true, "call-3", _options, _now);

        Assert.That((next.Status, next.Attempts, next.Outcome, next.NextAttemptAt), Is.EqualTo((CallbackStatuses.Queued, 2, "trunk-down", (DateTimeOffset?)_now.AddSeconds(300))));
    }

    [Test]
    public void TrunkDownEndsFailedOnceTheCallbackIsADayOldSoADeadTrunkCannotRingAnAgentForever()
    {
        var old = Callback(attempts: 1) with { RequestedAt = _now.AddDays(-1) };
        var laterDue = old with { DueAt = _now.AddHours(-2) };

        Assert.Multiple(() =>
        {
            var next = CallbackPlanner.AfterAttempt(old, CallbackOutcomes.TrunkDown, dialled: true, "call-9", _options, _now);
            Assert.That((next.Status, next.Attempts, next.Outcome, next.NextAttemptAt), Is.EqualTo((CallbackStatuses.Failed, 1, "trunk-down", (DateTimeOffset?)null)));
            Assert.That(CallbackPlanner.AfterAttempt(laterDue, CallbackOutcomes.TrunkDown, dialled: true, "call-9", _options, _now).Status, Is.EqualTo(CallbackStatuses.Queued), "a day from its due time when later");
        });
    }

    [Test]
    public void AServerErrorTheLastTrunkSentCountsAsAnAttemptAndNoAnswerAtAllDoesNot()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CallbackPlanner.OutcomeOfTrunksDown(synthesized: true), Is.EqualTo(CallbackOutcomes.TrunkDown));
            Assert.That(CallbackPlanner.OutcomeOfTrunksDown(synthesized: false), Is.EqualTo(CallbackOutcomes.Failed));
            var last = CallbackPlanner.AfterAttempt(Callback(attempts: 2), CallbackPlanner.OutcomeOfTrunksDown(synthesized: false), dialled: true, "call-3", _options, _now);
            Assert.That((last.Status, last.Attempts), Is.EqualTo((CallbackStatuses.Failed, 3)), "a carrier answering 503 every time ends after the maximum attempts");
        });
    }

    [Test]
    public void OptionsOutOfRangeAreNamed()
    {
        var errors = new CallbackOptions { MaxAttempts = 0, RetrySeconds = 0, RingSeconds = 1, OverflowRetrySeconds = 0 }.Validate().ToList();

        Assert.That(errors, Has.Count.EqualTo(4));
        Assert.That(errors, Has.Some.Contains("Callbacks:MaxAttempts"));
        Assert.That(new CallbackOptions().Validate(), Is.Empty);
    }

    [TestCase("node-a", "node-a", 0, false)] // my own: queued again
    [TestCase("node-a", "node-b", 0, true)] // another node's, refreshed just now
    [TestCase("node-a", "node-b", -3600, true)] // an hour old by this clock: clocks differ, the tick's watching decides
    [TestCase(null, "node-b", 0, false)] // nobody named (before migration 0053)
    [TestCase("node-a", null, 0, false)] // a single platform: every row is its own, as before
    public void AnotherNodesCallbackIsLeftAtMyStartHoweverOldItsClaimLooks(string? claimedBy, string? me, int seenSecondsAgo, bool elsewhere)
    {
        var row = Callback() with { ClaimedBy = claimedBy, ClaimSeenAt = claimedBy is null ? null : _now.AddSeconds(seenSecondsAgo) };
        Assert.That(CallbackPlanner.ClaimedElsewhere(row, me), Is.EqualTo(elsewhere));
    }

    [Test]
    public void AnAttemptCutOffByAStopIsQueuedAgainUnlessItsAgentGaveAFinalOutcome()
    {
        var cut = Callback(attempts: 1) with { LastCallId = "call-2" };
        var queued = CallbackPlanner.AfterInterruptedAttempt(cut, _options, _now);
        var wrong = CallbackPlanner.AfterInterruptedAttempt(cut with { AgentOutcome = "wrong-number", AgentOutcomeCall = "call-2" }, _options, _now);
        var earlier = CallbackPlanner.AfterInterruptedAttempt(cut with { AgentOutcome = "refused", AgentOutcomeCall = "call-1" }, _options, _now);

        Assert.Multiple(() =>
        {
            Assert.That((queued.Status, queued.Outcome, queued.Attempts), Is.EqualTo((CallbackStatuses.Queued, CallbackOutcomes.Interrupted, 1)), "not counted");
            Assert.That((wrong.Status, wrong.Outcome, wrong.Attempts, wrong.LastCallId), Is.EqualTo((CallbackStatuses.Failed, CallbackOutcomes.WrongNumber, 2, "call-2")), "final, the attempt counted");
            Assert.That(earlier.Status, Is.EqualTo(CallbackStatuses.Queued), "an outcome for an earlier attempt is not this one's");
        });
    }
}
