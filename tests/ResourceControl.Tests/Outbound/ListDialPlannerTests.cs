using CallCenter.Data.CallLists;
using CallCenter.ResourceControl.Outbound;

namespace CallCenter.ResourceControl.Tests.Outbound;

/// <summary>Preview dialling's decisions: whom a list's entry may go to, which entry an agent previews next, when a held preview goes back, a skip's reason.</summary>
public sealed class ListDialPlannerTests
{
    private static readonly DateTimeOffset _now = new(2026, 12, 5, 2, 0, 0, TimeSpan.Zero);

    private static CallListRow List(string id, string mode = CallListModes.Preview, string kind = CallListKinds.General, string queue = "general") =>
        new(id, id, kind, queue, 3, 60, "super", _now.AddDays(-1), mode);

    private static CallListEntryRow Entry(string id, string listId, TimeSpan dueIn, string status = CallListStatuses.Open, int attempts = 0, DateTimeOffset? nextAttemptAt = null) => new()
    {
        Id = id,
        ListId = listId,
        Number = "13900000071",
        DueBy = _now + dueIn,
        Status = status,
        Attempts = attempts,
        NextAttemptAt = nextAttemptAt,
        CreatedAt = _now.AddHours(-1),
        UpdatedAt = _now.AddHours(-1),
    };

    [Test]
    public void AnAgentServesAQueueOnlyWithEveryOneOfItsSkills()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ListDialPlanner.Serves(["zh", "en"], ["zh"]), Is.True);
            Assert.That(ListDialPlanner.Serves(["ZH"], ["zh"]), Is.True, "skills compare without case");
            Assert.That(ListDialPlanner.Serves(["zh"], ["zh", "vip"]), Is.False);
            Assert.That(ListDialPlanner.Serves([], []), Is.True, "a queue asking no skill takes anyone");
        });
    }

    [Test]
    public void ARiskNoticeComesFirstThenTheNearestDeadlineThenFewestAttempts()
    {
        var lists = new[] { List("general"), List("risk", kind: CallListKinds.RiskNotice) };
        var entries = new[]
        {
            Entry("later", "general", TimeSpan.FromHours(5)),
            Entry("soon-tried", "general", TimeSpan.FromHours(1), attempts: 2),
            Entry("soon", "general", TimeSpan.FromHours(1)),
            Entry("risk", "risk", TimeSpan.FromHours(9)),
        };

        var order = ListDialPlanner.PreviewOrder(entries, lists, _ => true, _now).Select(c => c.Entry.Id);
        Assert.That(order, Is.EqualTo(new[] { "risk", "soon", "soon-tried", "later" }));
    }

    [Test]
    public void OnlyOpenEntriesOfPreviewListsTheAgentServesWhosePauseIsOverAreOffered()
    {
        var lists = new[] { List("preview"), List("progressive", mode: CallListModes.Progressive), List("vip", queue: "vip") };
        var entries = new[]
        {
            Entry("ok", "preview", TimeSpan.FromHours(3)),
            Entry("pause-over", "preview", TimeSpan.FromHours(4), nextAttemptAt: _now),
            Entry("retry-later", "preview", TimeSpan.FromHours(1), nextAttemptAt: _now.AddMinutes(5)),
            Entry("held", "preview", TimeSpan.FromHours(1), status: CallListStatuses.Previewing),
            Entry("calling", "preview", TimeSpan.FromHours(1), status: CallListStatuses.Calling),
            Entry("reached", "preview", TimeSpan.FromHours(1), status: CallListStatuses.Reached),
            Entry("progressive", "progressive", TimeSpan.FromHours(1)),
            Entry("vip", "vip", TimeSpan.FromHours(1)),
            Entry("no-list", "gone", TimeSpan.FromHours(1)),
        };

        var order = ListDialPlanner.PreviewOrder(entries, lists, queue => queue == "general", _now).Select(c => c.Entry.Id);
        Assert.That(order, Is.EqualTo(new[] { "ok", "pause-over" }));
    }

    [Test]
    public void AHeldPreviewGoesBackWhenItsAgentLeavesOrLetsItLie()
    {
        var held = Entry("e", "preview", TimeSpan.FromHours(1), status: CallListStatuses.Previewing) with { PreviewAgent = "1002", PreviewAt = _now.AddSeconds(-100) };
        Assert.Multiple(() =>
        {
            Assert.That(ListDialPlanner.GiveBack(held, agentPresent: true, _now, previewSeconds: 300), Is.False, "the agent is still looking");
            Assert.That(ListDialPlanner.GiveBack(held, agentPresent: false, _now, previewSeconds: 300), Is.True, "the agent signed out or lost their phone");
            Assert.That(ListDialPlanner.GiveBack(held, agentPresent: true, _now.AddSeconds(200), previewSeconds: 300), Is.True, "held 300 s without a dial or a skip");
            Assert.That(ListDialPlanner.GiveBack(held with { Status = CallListStatuses.Calling }, agentPresent: false, _now, previewSeconds: 300), Is.False, "a dialled entry belongs to its call");
        });
    }

    [TestCase(null, "needs a reason")]
    [TestCase("   ", "needs a reason")]
    public void ASkipWithoutAReasonIsRefused(string? reason, string refusal)
    {
        var (kept, refused) = ListDialPlanner.SkipReason(reason);
        Assert.Multiple(() =>
        {
            Assert.That(kept, Is.Null);
            Assert.That(refused, Does.Contain(refusal));
        });
    }

    [Test]
    public void ASkipReasonIsTrimmedAndLimited()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ListDialPlanner.SkipReason("  client abroad  ").Reason, Is.EqualTo("client abroad"));
            Assert.That(ListDialPlanner.SkipReason(new string('x', 201)).Refusal, Does.Contain("longer than 200"));
        });
    }
}
