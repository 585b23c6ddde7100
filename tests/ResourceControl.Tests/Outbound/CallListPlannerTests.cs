using CallCenter.Data.Callbacks;
using CallCenter.Data.CallLists;
using CallCenter.ResourceControl.Outbound;
using CallCenter.TestSupport;

namespace CallCenter.ResourceControl.Tests.Outbound;

/// <summary>Call list rules: a row's checks, the deadlines rules give, escalation against a moving (fake) clock, an attempt's effect, the counts.</summary>
public sealed class CallListPlannerTests
{
    private static readonly CallListOptions _options = new() { ComplaintHours = 24, RiskNoticeMinutes = 60, EscalateMinutesBefore = 30 };
    private static readonly DialingOptions _dialing = new();
    private static readonly DateTimeOffset _now = new(2026, 12, 4, 2, 0, 0, TimeSpan.Zero);

    private static string? NotListed(string number) => null;

    private static CallListEntryRow Entry(DateTimeOffset dueBy, string status = CallListStatuses.Calling, int attempts = 0) => new()
    {
        Id = "le-1",
        ListId = "list-1",
        Number = "13900000031",
        DueBy = dueBy,
        Status = status,
        Attempts = attempts,
        CreatedAt = _now,
        UpdatedAt = _now,
    };

    [TestCase("110", "emergency")]
    [TestCase("12590001234", "special service")]
    [TestCase("11234567890", "not a mainland")]
    [TestCase("+852 2123 4567", "international calls are not allowed")]
    [TestCase("abc", "not a phone number")]
    [TestCase("", "no number")]
    public void ANumberTheDialPlanRefusesIsRefusedWithItsReason(string number, string reason)
    {
        var (draft, refusal) = CallListPlanner.Check(number, null, null, null, null, CallListKinds.General, _dialing, NotListed, _options, _now);
        Assert.Multiple(() =>
        {
            Assert.That(draft, Is.Null);
            Assert.That(refusal, Does.Contain(reason));
        });
    }

    [Test]
    public void ANumberOnTheDoNotCallListIsRefused()
    {
        var (draft, refusal) = CallListPlanner.Check("139-0000-0031", null, null, null, null, CallListKinds.General, _dialing, n => n == "+8613900000031" ? "asked in 2025" : null, _options, _now);
        Assert.Multiple(() =>
        {
            Assert.That(draft, Is.Null);
            Assert.That(refusal, Does.Contain("do-not-call").And.Contain("asked in 2025"));
        });
    }

    [TestCase("yesterday", "not an ISO 8601 time")]
    [TestCase("2026-12-03T10:00:00Z", "after now")]
    [TestCase("2028-12-03T10:00:00Z", "within a year")]
    public void ABadDeadlineIsRefused(string dueBy, string reason) =>
        Assert.That(CallListPlanner.Check("13900000031", null, null, null, dueBy, CallListKinds.General, _dialing, NotListed, _options, _now).Refusal, Does.Contain(reason));

    [Test]
    public void AnEventsDeadlineCountsFromWhenItHappenedNotFromWhenItWasPosted()
    {
        // A complaint resolved 20 hours ago owes its call within 4 more hours, not a fresh 24.
        var resolved = CallListPlanner.EventDeadline(CallListKinds.Complaint, _now.AddHours(-20).ToString("O"), _now, _options);
        var unsaid = CallListPlanner.EventDeadline(CallListKinds.Complaint, null, _now, _options);
        Assert.Multiple(() =>
        {
            Assert.That(resolved, Is.EqualTo(((DateTimeOffset?)_now.AddHours(4), (string?)null)));
            Assert.That(unsaid.Deadline, Is.EqualTo(_now.AddHours(24)), "without occurredAt: from now");
            Assert.That(CallListPlanner.EventDeadline(CallListKinds.Complaint, "yesterday", _now, _options).Refusal, Does.Contain("not an ISO 8601 time"));
            Assert.That(CallListPlanner.EventDeadline(CallListKinds.Complaint, _now.AddHours(1).ToString("O"), _now, _options).Refusal, Does.Contain("in the future"));
            Assert.That(CallListPlanner.EventDeadline(CallListKinds.Complaint, _now.AddDays(-31).ToString("O"), _now, _options).Refusal, Does.Contain("more than 30 days ago"));
        });
    }

    [Test]
    public void RulesGiveTheirDeadlines()
    {
        var complaint = CallListPlanner.Check("13900000031", "Li", "1004", null, null, CallListKinds.Complaint, _dialing, NotListed, _options, _now).Draft!;
        var risk = CallListPlanner.Check("13900000031", null, null, null, null, CallListKinds.RiskNotice, _dialing, NotListed, _options, _now).Draft!;
        var given = CallListPlanner.Check("13900000031", null, null, null, "2026-12-05T09:00:00+08:00", CallListKinds.Complaint, _dialing, NotListed, _options, _now).Draft!;
        Assert.Multiple(() =>
        {
            Assert.That(complaint.DueBy, Is.EqualTo(_now.AddHours(24)));
            Assert.That(complaint.ClientName, Is.EqualTo("Li"));
            Assert.That(risk.DueBy, Is.EqualTo(_now.AddMinutes(60)));
            Assert.That(given.DueBy, Is.EqualTo(new DateTimeOffset(2026, 12, 5, 1, 0, 0, TimeSpan.Zero)));
        });
    }

    [Test]
    public void AnOpenEntryIsEscalatedOnceItsDeadlineIsNearAsTheClockMoves()
    {
        var clock = new ManualTimeProvider(_now);
        var entry = Entry(_now.AddHours(2));
        var seen = new List<bool>();
        for (var i = 0; i < 4; i++)
        {
            seen.Add(CallListPlanner.NeedsEscalation(entry, clock.GetUtcNow(), _options));
            clock.Advance(TimeSpan.FromMinutes(30));
        }

        // 0:00, 0:30, 1:00 before the 2:00 deadline are early; at 1:30 it is 30 minutes away.
        Assert.That(seen, Is.EqualTo(new[] { false, false, false, true }));
        Assert.Multiple(() =>
        {
            Assert.That(CallListPlanner.NeedsEscalation(entry with { EscalatedAt = clock.GetUtcNow() }, clock.GetUtcNow(), _options), Is.False, "once");
            Assert.That(CallListPlanner.NeedsEscalation(entry with { Status = CallListStatuses.Reached }, clock.GetUtcNow(), _options), Is.False, "a reached client is not owed");
        });
    }

    [Test]
    public void ACallbacksAttemptMovesItsEntry()
    {
        var callback = new CallbackRow
        {
            Id = "cb-1",
            Number = "13900000031",
            Queue = "general",
            Language = "zh",
            Source = "list",
            RequestedAt = _now,
            Status = CallbackStatuses.Queued,
            Attempts = 1,
            Outcome = CallbackOutcomes.NoAnswer,
            UpdatedAt = _now,
            ListEntryId = "le-1",
        };
        var retried = CallListPlanner.AfterAttempt(Entry(_now.AddHours(1)), callback, "call-1", _now);
        var failed = CallListPlanner.AfterAttempt(Entry(_now.AddHours(1)), callback with { Status = CallbackStatuses.Failed, Attempts = 3, Outcome = CallbackOutcomes.Busy }, "call-3", _now);
        var reached = CallListPlanner.AfterAttempt(Entry(_now.AddHours(1)), callback with { Status = CallbackStatuses.Completed, Outcome = CallbackOutcomes.Reached }, "call-2", _now);
        var refused = CallListPlanner.AfterAttempt(Entry(_now.AddHours(1)), callback with { Status = CallbackStatuses.Failed, Outcome = CallbackOutcomes.DoNotCall }, "call-4", _now);
        var wrongNumber = CallListPlanner.AfterAttempt(Entry(_now.AddHours(1)), callback with { Status = CallbackStatuses.Failed, Outcome = CallbackOutcomes.WrongNumber }, "call-5", _now);
        var clientRefused = CallListPlanner.AfterAttempt(Entry(_now.AddHours(1)), callback with { Status = CallbackStatuses.Failed, Outcome = CallbackOutcomes.Refused }, "call-6", _now);
        Assert.Multiple(() =>
        {
            Assert.That((retried.Status, retried.Attempts, retried.Outcome, retried.LastCallId), Is.EqualTo((CallListStatuses.Open, 1, "no-answer", "call-1")));
            Assert.That((failed.Status, failed.Reason), Is.EqualTo((CallListStatuses.Failed, "not reached after 3 attempts (last: busy)")));
            Assert.That(reached.Status, Is.EqualTo(CallListStatuses.Reached));
            Assert.That(refused.Status, Is.EqualTo(CallListStatuses.Refused));
            Assert.That((wrongNumber.Status, wrongNumber.Outcome, wrongNumber.NextAttemptAt), Is.EqualTo((CallListStatuses.Failed, "wrong-number", (DateTimeOffset?)null)));
            Assert.That(wrongNumber.Reason, Does.Contain("wrong number"));
            Assert.That((clientRefused.Status, clientRefused.Outcome), Is.EqualTo((CallListStatuses.Failed, "refused")));
            Assert.That(clientRefused.Reason, Does.Contain("refused"));
        });
    }

    [Test]
    public void TheCountsGiveDueOverdueContactRateAndAttemptsPerContact()
    {
        var entries = new[]
        {
            Entry(_now.AddHours(5)), // open, not yet due
            Entry(_now.AddMinutes(10)), // due
            Entry(_now.AddMinutes(-10), CallListStatuses.Open, 2), // overdue
            Entry(_now.AddHours(1), CallListStatuses.Reached, 1),
            Entry(_now.AddHours(1), CallListStatuses.Reached, 2),
            Entry(_now.AddHours(1), CallListStatuses.Failed, 3),
            Entry(_now.AddHours(1), CallListStatuses.Refused),
        };
        var summary = CallListPlanner.Summarize(entries, _now, _options);
        Assert.Multiple(() =>
        {
            Assert.That((summary.Open, summary.Due, summary.Overdue), Is.EqualTo((3, 1, 1)));
            Assert.That((summary.Reached, summary.Failed, summary.Refused, summary.Attempts), Is.EqualTo((2, 1, 1, 8)));
            Assert.That(summary.ContactRate, Is.EqualTo(2.0 / 3).Within(1e-9));
            Assert.That(summary.AttemptsPerContact, Is.EqualTo(3.0).Within(1e-9), "6 attempts on finished entries for 2 contacts");
        });
    }

    [Test]
    public void ACoreClientIsDueWhenNeverReviewedOrTheLastReviewIsOldEnoughAndOnlyThen()
    {
        var options = new CallListOptions { CoreClientTiers = ["Diamond", "Platinum"], CoreClientEveryDays = 90 };
        DirectoryClient[] clients =
        [
            new("13800000001", "王建国", "1001", "Diamond"), // never reviewed
            new("13800000002", "李美华", "1002", "platinum"), // tier names compare without case; reviewed 89 days ago
            new("13800000003", "张伟", "1004", "Gold"), // not a core tier
            new("13800000007", "赵六", null, "Diamond"), // reviewed exactly 90 days ago
            new("12590001234", "钱七", null, "Diamond"), // a number the dial plan refuses
            new("13800000008", "孙八", null, "Diamond"), // refused by the rules yesterday, paused until tomorrow
        ];
        var last = new Dictionary<string, DateTimeOffset>
        {
            ["13800000002"] = _now.AddDays(-89),
            ["13800000007"] = _now.AddDays(-90),
        };
        DateTimeOffset? Paused(string phone) => phone == "13800000008" ? _now.AddDays(1) : null;

        var due = CallListPlanner.CoreClientsDue(clients, last, Paused, _dialing, options, _now);
        Assert.That(due.Select(c => c.Phone), Is.EqualTo(new[] { "13800000001", "13800000007" }));

        // A day later the Platinum client's 90 days are up too; the paused one is due once its pause has passed.
        var later = CallListPlanner.CoreClientsDue(clients, last, Paused, _dialing, options, _now.AddDays(1));
        Assert.That(later.Select(c => c.Phone), Is.EqualTo(new[] { "13800000001", "13800000002", "13800000007", "13800000008" }));
    }

    [Test]
    public void WithNoCoreTiersNobodyIsDue()
    {
        var due = CallListPlanner.CoreClientsDue(
            [new DirectoryClient("13800000001", "王建国", "1001", "Diamond")], new Dictionary<string, DateTimeOffset>(), _ => null, _dialing, new CallListOptions(), _now);
        Assert.That(due, Is.Empty);
    }
}
