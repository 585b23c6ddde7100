using CallCenter.Ivr.Flows;
using CallCenter.Ivr.Prompts;

namespace CallCenter.Ivr.Tests.Flows;

/// <summary>The committed config/flows against the committed config/prompts, driven like the host does.</summary>
public sealed class ShippedFlowTests
{
    private static readonly IvrFlowSet _flows = IvrTestData.ShippedFlows();

    private static SessionDriver MainLine(string? language = null) =>
        new(_flows, "95500", new IvrCallContext("13900000000", "95500", Language: language));

    private static string[] Path(IvrSession session) => [.. session.Path];

    [Test]
    public void ShippedFlowsLoadCleanlyWithOneFlowPerHotline() =>
        Assert.That(_flows.FlowIds, Is.EquivalentTo(new[] { "95500", "95501" }));

    [Test]
    public void ChineseThenZeroQueuesForAnAgentWithTheExpectedTrace()
    {
        var call = MainLine();
        call.Start();
        Assert.That(call.Last, Has.Count.EqualTo(1));
        Assert.That(call.Playing!.Prompts, Is.EqualTo(new[] { new IvrPrompt("zh", "language-choice") }));

        call.FinishPlayback();
        call.Press('1');
        Assert.That(call.Session.Language, Is.EqualTo("zh"));
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "welcome-95500" }));

        call.FinishPlayback();
        Assert.That(call.Playing!.Prompts, Is.EqualTo(new[] { new IvrPrompt("zh", "main-menu") }));
        Assert.That(call.Playing.BargeIn, Is.True);

        call.FinishPlayback();
        call.Press('0');
        Assert.That(call.Playing!.Prompts, Is.EqualTo(new[] { new IvrPrompt("zh", "transferring-to-agent") }));
        Assert.That(call.Playing.BargeIn, Is.False, "the transfer notice is not interruptible");
        Assert.That(call.Session.IsFinished, Is.False);

        call.FinishPlayback();
        var queued = call.Last.OfType<IvrAction.QueueForAgent>().Single();
        Assert.That(queued.Queue, Is.EqualTo("general"));
        Assert.That(queued.Skills, Is.EqualTo(new[] { "zh" }));
        Assert.That(call.Session.IsFinished, Is.True);
        Assert.That(call.Session.Outcome, Is.SameAs(queued));
        Assert.That(Path(call.Session), Is.EqualTo(new[]
        {
            "95500.language", "95500.zh", "95500.welcome", "95500.menu", "95500.agent",
        }));
        Assert.That(call.Session.Trace.Select(t => t.Keys), Is.EqualTo(new[] { "1", "", "", "0", "" }));
    }

    [Test]
    public void EnglishCallerHearsEnglishAndQueuesWithTheEnglishSkill()
    {
        var call = MainLine();
        call.Start();
        call.Press('2');
        Assert.That(call.Session.Language, Is.EqualTo("en"));
        Assert.That(call.Playing!.Prompts, Is.EqualTo(new[] { new IvrPrompt("en", "welcome-95500") }));
        call.FinishPlayback();
        call.Press('0');
        call.FinishPlayback();
        Assert.That(call.Session.Outcome, Is.InstanceOf<IvrAction.QueueForAgent>());
        Assert.That(((IvrAction.QueueForAgent)call.Session.Outcome!).Skills, Is.EqualTo(new[] { "en" }));
    }

    [Test]
    public void KeyDuringTheLanguagePromptStopsItAtOnce()
    {
        var call = MainLine();
        call.Start();
        var prompt = call.Playing!;
        var actions = call.Press('1');
        Assert.That(actions[0], Is.EqualTo(new IvrAction.StopPlayback(prompt.PlaybackId)));
        Assert.That(actions.OfType<IvrAction.Play>().Single().Prompts[0].Name, Is.EqualTo("welcome-95500"));

        // The media layer may still report the stopped prompt; the session ignores it.
        Assert.That(call.Send(new IvrEvent.PlaybackFinished(prompt.PlaybackId)), Is.Empty);
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "welcome-95500" }));
    }

    [Test]
    public void SilentCallerGetsChineseAfterTheLanguageRetries()
    {
        var call = MainLine();
        call.Start();
        call.FinishPlayback();
        Assert.That(call.Timer!.After, Is.EqualTo(TimeSpan.FromSeconds(5)));
        call.FireTimer();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "language-choice" }), "asked once more");
        call.FinishPlayback();
        call.FireTimer();
        Assert.That(call.Session.Language, Is.EqualTo("zh"));
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "welcome-95500" }));
    }

    [Test]
    public void KnownCallerLanguageIsTheStartingLanguage()
    {
        var call = MainLine(language: "en");
        call.Start();
        Assert.That(call.Playing!.Prompts[0], Is.EqualTo(new IvrPrompt("en", "language-choice")));
        Assert.That(call.Session.Language, Is.EqualTo("en"));
    }

    private static SessionDriver AtMainMenu()
    {
        var call = MainLine();
        call.Start();
        call.Press('1');
        call.FinishPlayback();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "main-menu" }));
        return call;
    }

    [Test]
    public void SilenceAtTheMainMenuRepromptsTwiceThenQueues()
    {
        var call = AtMainMenu();
        for (var retry = 0; retry < 2; retry++)
        {
            call.FinishPlayback();
            Assert.That(call.Timer!.After, Is.EqualTo(TimeSpan.FromSeconds(6)));
            call.FireTimer();
            Assert.That(call.PlayingNames, Is.EqualTo(new[] { "no-input", "main-menu" }));
        }

        call.FinishPlayback();
        call.FireTimer();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "transferring-to-agent" }));
        call.FinishPlayback();
        var queued = (IvrAction.QueueForAgent)call.Session.Outcome!;
        Assert.That((queued.Queue, queued.Priority), Is.EqualTo(("general", 0)));
        Assert.That(queued.Skills, Is.EqualTo(new[] { "zh" }));
        Assert.That(Path(call.Session)[^2..], Is.EqualTo(new[] { "95500.menu", "95500.agent" }));
    }

    [Test]
    public void InvalidKeySaysSoAndAsksAgain()
    {
        var call = AtMainMenu();
        var menu = call.Playing!;
        var actions = call.Press('9');
        Assert.That(actions[0], Is.EqualTo(new IvrAction.StopPlayback(menu.PlaybackId)));
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "invalid-key", "main-menu" }));
        call.Press('0');
        call.FinishPlayback();
        Assert.That(call.Session.IsFinished, Is.True);
        Assert.That(call.Session.Trace.Single(t => t.Node == "95500.menu").Keys, Is.EqualTo("90"));
    }

    [Test]
    public void StarRepeatsTheMenu()
    {
        var call = AtMainMenu();
        call.FinishPlayback();
        call.Press('*');
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "main-menu" }));
        Assert.That(call.Timer, Is.Null, "the wait for a key was cancelled");
        Assert.That(Path(call.Session)[^2..], Is.EqualTo(new[] { "95500.menu", "95500.menu" }));
    }

    [TestCase('4', "appointments")]
    public void ComingSoonServicesReturnToTheMenu(char key, string node)
    {
        var call = AtMainMenu();
        call.Press(key);
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "service-coming-soon" }));
        call.FinishPlayback();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "main-menu" }));
        Assert.That(Path(call.Session)[^2..], Is.EqualTo(new[] { "95500." + node, "95500.menu" }));
    }

    private static IvrEvent.Answered Announcements(IvrAction.BackOfficeRequest request, params string[] prompts) =>
        new(request.RequestId, prompts.Length == 0 ? "none" : "ok",
            new Dictionary<string, string> { ["itemCount"] = prompts.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            [.. prompts.Select(p => (IReadOnlyDictionary<string, string>)new Dictionary<string, string> { ["itemAudio"] = p })]);

    [Test]
    public void AnnouncementsAreAskedForInTheCallersLanguageAndPlayedOneAfterAnotherThenTheNoticesMenu()
    {
        var call = AtMainMenu();
        call.Press('1');
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "notices-menu" }));
        call.Press('1');
        var request = call.Last.OfType<IvrAction.BackOfficeRequest>().Single();
        Assert.That((request.Operation, request.Inputs["language"]), Is.EqualTo(("announcements", "zh")));

        call.Send(Announcements(request, "announcement-7", "announcement-3"));
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "announcement-7" }));
        call.FinishPlayback();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "announcement-3" }));
        call.FinishPlayback();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "notices-menu" }));
        call.Press('0');
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "transferring-to-agent" }));
        Assert.That(Path(call.Session)[^8..], Is.EqualTo(new[]
        {
            "95500.announcements", "95500.announcementNext", "95500.announcementPlay", "95500.announcementNext", "95500.announcementPlay",
            "95500.announcementNext", "95500.notices", "95500.agent",
        }));
    }

    [TestCase("none", "announcements-none")]
    [TestCase("error", "service-unavailable")]
    public void NoCurrentAnnouncementOrAFailureSaysSoAndReturnsToTheNoticesMenu(string result, string prompt)
    {
        var call = AtMainMenu();
        call.Press('1');
        call.Press('1');
        var request = call.Last.OfType<IvrAction.BackOfficeRequest>().Single();
        call.Send(result == "none" ? Announcements(request) : IvrEvent.Answered.Error(request.RequestId));

        Assert.That(call.PlayingNames, Is.EqualTo(new[] { prompt }));
        call.FinishPlayback();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "notices-menu" }));
    }

    [Test]
    public void VipLineGreetsAndQueuesWithHighPriorityIgnoringKeys()
    {
        var call = new SessionDriver(_flows, "95501", new IvrCallContext("13800000001", "95501", "Diamond"));
        call.Start();
        Assert.That(call.Playing!.BargeIn, Is.False);
        Assert.That(call.Press("0123#"), Is.Empty, "keys during a non-barge-in greeting are dropped");
        call.FinishPlayback();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "please-hold" }));
        call.FinishPlayback();
        var queued = (IvrAction.QueueForAgent)call.Session.Outcome!;
        Assert.That((queued.Queue, queued.Priority), Is.EqualTo(("vip", 10)));
        Assert.That(queued.Skills, Is.EqualTo(new[] { "zh" }));
        Assert.That(Path(call.Session), Is.EqualTo(new[] { "95501.gate", "95501.welcome", "95501.agent" }));
    }

    [TestCase("13900000123", null)]
    [TestCase("13800000004", "Quality")]
    [TestCase("13800000006", "Dormant")]
    public void VipLineTellsACallerBelowItsTiersItIsForVipsAndGoesOnToTheMainMenu(string caller, string? tier)
    {
        var call = new SessionDriver(_flows, "95501", new IvrCallContext(caller, "95501", tier));
        call.Start();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "vip-line-only" }));
        Assert.That(call.Playing!.BargeIn, Is.False, "the notice is heard whole");
        Assert.That(call.Press("0"), Is.Empty, "a key during the notice is dropped, not an agent");
        call.FinishPlayback();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "language-choice" }), "the main hotline's menu starts with its language choice");
        Assert.That(Path(call.Session), Is.EqualTo(new[] { "95501.gate", "95501.vipOnly", "95501.mainLine", "95500.language" }));
        Assert.That(call.Session.Outcome, Is.Null, "not queued anywhere");
    }

    [TestCase("Diamond")]
    [TestCase("platinum")]
    [TestCase("Gold")]
    public void VipLineLetsGoldAndAboveThrough(string tier)
    {
        var call = new SessionDriver(_flows, "95501", new IvrCallContext("13800000009", "95501", tier));
        call.Start();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "welcome-95501" }));
    }

    [TestCase("PlatinumCard", "welcome-95501")]
    [TestCase("GoldCard", "welcome-95501")]
    [TestCase("SilverCard", "vip-line-only")]
    public void VipLineLetsTheSecuritiesGoldAndPlatinumCardsThroughButNotASilverCard(string card, string heard)
    {
        var call = new SessionDriver(_flows, "95501", new IvrCallContext("13900000201", "95501", card));
        call.Start();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { heard }));
    }

    [Test]
    public void CallerHangingUpEndsTheSessionAndCancelsItsTimer()
    {
        var call = AtMainMenu();
        call.FinishPlayback();
        var timer = call.Timer!;
        var actions = call.Send(new IvrEvent.CallerHungUp());
        Assert.That(actions, Is.EqualTo(new IvrAction[] { new IvrAction.CancelTimer(timer.TimerId) }));
        Assert.That(call.Session.IsFinished, Is.True);
        Assert.That(call.Session.Outcome, Is.Null);
        Assert.That(call.Session.EndReason, Is.EqualTo("caller-hung-up"));
        Assert.That(call.Send(new IvrEvent.TimerFired(timer.TimerId)), Is.Empty);
    }

    [Test]
    public void FloodOfTenThousandRandomKeysEndsQuicklyWithBoundedOutput()
    {
        var random = new Random(42);
        const string keys = "0123456789*#";
        var call = MainLine();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        call.Start();
        for (var i = 0; i < 10_000; i++)
        {
            call.Press(keys[random.Next(keys.Length)]);
            if (i % 7 == 0 && call.Playing is not null)
            {
                call.FinishPlayback();
            }
        }

        clock.Stop();
        Assert.That(call.Session.IsFinished, Is.True);
        Assert.That(call.All, Has.Count.LessThan(2_000));
        Assert.That(call.Session.Trace, Has.Count.LessThanOrEqualTo(200));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public void EndlessStarRepeatsHitTheVisitLimitAndReachAnAgent()
    {
        var call = AtMainMenu();
        call.Press(new string('*', 10_000));
        Assert.That(call.Session.IsFinished, Is.True);
        Assert.That(call.Session.EndReason, Is.EqualTo("limit"));
        Assert.That(call.Session.Outcome, Is.InstanceOf<IvrAction.QueueForAgent>());
        Assert.That(call.Session.Trace, Has.Count.EqualTo(200));
    }
}
