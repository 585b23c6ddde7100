using CallCenter.Data.Callbacks;
using CallCenter.ResourceControl.Outbound;

namespace CallCenter.ResourceControl.Tests.Outbound;

/// <summary>
/// The limits on callbacks: one calling number holds at most Callbacks:MaxPendingPerNumber queue callbacks (a number
/// already pending keeps its callback), an agent owns at most Callbacks:MaxPendingPerAgent, only a waiting callback
/// may be cancelled (an agent: only their own), and the wallboard's counts per queue.
/// </summary>
public sealed class CallbackLimitsTests
{
    private static readonly DateTimeOffset _now = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    private static CallbackRow Callback(string id, string number, string queue = "general", string source = "queue-key", string? by = null, string status = CallbackStatuses.Queued) => new()
    {
        Id = id,
        Number = number,
        Queue = queue,
        Language = "zh",
        Source = source,
        RequestedAt = _now.AddMinutes(-5),
        Status = status,
        UpdatedAt = _now.AddMinutes(-5),
        RequestedBy = by,
    };

    [Test]
    public void ANumberWithAPendingQueueCallbackKeepsItWhicheverQueueAsksAgain()
    {
        var pending = new[] { Callback("cb-1", "13900000051", "vip", by: "13900000051") };

        var again = CallbackLimits.ForCaller(pending, "13900000051", "13900000051", max: 1);
        var keyedByAnother = CallbackLimits.ForCaller(pending, "13900000051", "13900000077", max: 3);

        Assert.That(again, Is.EqualTo(new CallerCapDecision.AlreadyBooked(pending[0])));
        Assert.That(keyedByAnother, Is.EqualTo(new CallerCapDecision.AlreadyBooked(pending[0])), "another caller keying that number gets the one pending");
    }

    [Test]
    public void ACallerAtTheCapBooksNoCallbackToAnotherNumberAndBelowItDoes()
    {
        // 13900000051 pressed 2 and keyed 13900000052: that callback is theirs.
        var pending = new[] { Callback("cb-1", "13900000052", source: "queue-key-number", by: "13900000051") };

        var capped = CallbackLimits.ForCaller(pending, "13900000053", "13900000051", max: 1);
        var ownNumber = CallbackLimits.ForCaller(pending, "13900000051", "13900000051", max: 1);
        var allowedTwo = CallbackLimits.ForCaller(pending, "13900000053", "13900000051", max: 2);
        var someoneElse = CallbackLimits.ForCaller(pending, "13900000061", "13900000061", max: 1);

        Assert.That(capped, Is.TypeOf<CallerCapDecision.Refused>());
        Assert.That(((CallerCapDecision.Refused)capped).Reason, Does.Contain("13900000051 already has 1 callback(s) pending").And.Contain("Callbacks:MaxPendingPerNumber is 1"));
        Assert.That(ownNumber, Is.TypeOf<CallerCapDecision.Refused>(), "key 1 after key 2: the caller's one callback is used");
        Assert.That(allowedTwo, Is.TypeOf<CallerCapDecision.Book>());
        Assert.That(someoneElse, Is.TypeOf<CallerCapDecision.Book>());
    }

    [Test]
    public void ACallbackToTheCallersOwnNumberCountsAsTheirsEvenWithoutTheRequester()
    {
        // A row from before migration 0044 has no requester: its number still names the caller.
        var pending = new[] { Callback("cb-1", "13900000051") };

        Assert.That(CallbackLimits.ForCaller(pending, "13900000059", "13900000051", max: 1), Is.TypeOf<CallerCapDecision.Refused>());
    }

    [Test]
    public void ACallbackAnotherCallerKeyedToMyNumberDoesNotUseUpMyShare()
    {
        // 13900000077 pressed 2 and keyed 13900000051's number: 13900000051 may still ask for one to another number.
        var pending = new[] { Callback("cb-1", "13900000051", source: "queue-key-number", by: "13900000077") };

        Assert.That(CallbackLimits.ForCaller(pending, "13900000052", "13900000051", max: 1), Is.TypeOf<CallerCapDecision.Book>());
        Assert.That(CallbackLimits.ForCaller(pending, "13900000053", "13900000077", max: 1), Is.TypeOf<CallerCapDecision.Refused>(), "it is the one who keyed it that used a share");
    }

    [Test]
    public void ScheduledAndListCallbacksDoNotCountAgainstACallersQueueCap()
    {
        var pending = new[]
        {
            Callback("cb-1", "13900000051", source: "desk", by: "1002", status: CallbackStatuses.Scheduled),
            Callback("cb-2", "13900000051", source: "list", by: "super"),
        };

        Assert.That(CallbackLimits.ForCaller(pending, "13900000051", "13900000051", max: 1), Is.TypeOf<CallerCapDecision.Book>());
    }

    [Test]
    public void AnAgentAtTheirCapIsRefusedWithTheKeyNamed()
    {
        var pending = Enumerable.Range(0, 3).Select(i => Callback($"cb-{i}", "1390000007" + i, source: "desk") with { OwnerAgent = "1002" }).ToList();

        Assert.That(CallbackLimits.ForAgent(pending, "1002", 3), Does.Contain("agent 1002 already owns 3 pending callbacks").And.Contain("Callbacks:MaxPendingPerAgent is 3"));
        Assert.That(CallbackLimits.ForAgent(pending, "1002", 4), Is.Null);
        Assert.That(CallbackLimits.ForAgent(pending, "1003", 3), Is.Null, "another agent's count is their own");
    }

    [TestCase(CallbackStatuses.Scheduled, false, null, "None")]
    [TestCase(CallbackStatuses.Queued, false, null, "None")]
    [TestCase(CallbackStatuses.Queued, false, "1002", "None")]
    [TestCase(CallbackStatuses.Queued, false, "1003", "NotOwner")]
    [TestCase(CallbackStatuses.Queued, true, null, "Dialling")]
    [TestCase(CallbackStatuses.Calling, false, null, "Dialling")]
    [TestCase(CallbackStatuses.Completed, false, null, "Finished")]
    [TestCase(CallbackStatuses.Failed, false, null, "Finished")]
    [TestCase(CallbackStatuses.Cancelled, false, "1002", "Finished")]
    public void OnlyAWaitingCallbackIsCancelledAndAnAgentCancelsOnlyTheirOwn(string status, bool dialling, string? agent, string expected)
    {
        var row = Callback("cb-1", "13900000051", source: "desk", status: status) with { OwnerAgent = "1002" };

        Assert.That(CallbackLimits.CanCancel(row, dialling, agent).ToString(), Is.EqualTo(expected));
    }

    [Test]
    public void AnUnknownCallbackAndACallListsEntryAreNotCancelled()
    {
        var listed = Callback("cb-1", "13900000051", source: "list") with { ListEntryId = "e-1", ListId = "nac" };

        Assert.That(CallbackLimits.CanCancel(null, false, null), Is.EqualTo(CancelRefusal.NotFound));
        Assert.That(CallbackLimits.CanCancel(listed, false, null), Is.EqualTo(CancelRefusal.BelongsToList));
        Assert.That(CallbackLimits.Describe(CancelRefusal.BelongsToList, "cb-1", listed), Does.Contain("call list nac"));
        Assert.That(CallbackLimits.Describe(CancelRefusal.Dialling, "cb-1", listed), Does.Contain("being dialled"));
    }

    [Test]
    public void TheWallboardCountsEachQueuesCallbacksDueNowLaterBeingDialledAndOverdue()
    {
        var overdueAfter = TimeSpan.FromMinutes(30);
        CallbackRow[] inQueue =
        [
            Callback("cb-1", "13900000001") with { RequestedAt = _now.AddMinutes(-31) },
            Callback("cb-2", "13900000002") with { RequestedAt = _now.AddMinutes(-29) },
            Callback("cb-3", "13900000003", "vip"),
        ];
        CallbackRow[] later =
        [
            Callback("cb-4", "13900000004", source: "desk", status: CallbackStatuses.Scheduled) with { DueAt = _now.AddHours(2) },
            Callback("cb-5", "13900000005", source: "desk") with { DueAt = _now.AddMinutes(-45), NextAttemptAt = _now.AddMinutes(3) },
        ];
        CallbackRow[] calling = [Callback("cb-6", "13900000006", status: CallbackStatuses.Calling) with { RequestedAt = _now.AddHours(-3) }];

        var counts = CallbackLimits.Count(inQueue, later, calling, _now, overdueAfter);

        Assert.That(counts, Is.EqualTo(new Contracts.Desk.CallbackCount[]
        {
            new("general", DueNow: 2, Later: 2, Calling: 1, Overdue: 2),
            new("vip", DueNow: 1, Later: 0, Calling: 0, Overdue: 0),
        }), "overdue: the caller asked 31 minutes ago, and the retry of one due 45 minutes ago; not the one being dialled");
        Assert.That(CallbackLimits.Count([], [], [], _now, overdueAfter), Is.Empty);
    }
}
