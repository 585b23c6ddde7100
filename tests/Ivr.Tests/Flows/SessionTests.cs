using CallCenter.Ivr.Flows;
using CallCenter.Ivr.Prompts;

namespace CallCenter.Ivr.Tests.Flows;

/// <summary>Session behaviour on purpose-built flows: collect, masking, say, branch, goto, fallbacks.</summary>
public sealed class SessionTests
{
    private const string SelfService = """
        {
          "id": "self",
          "start": "account",
          "nodes": {
            "account": {
              "type": "collect", "prompts": ["enter-account"], "variable": "account",
              "minDigits": 6, "maxDigits": 12, "firstDigitTimeout": 8, "interDigitTimeout": 3,
              "invalidPrompts": ["invalid-key"], "noInputPrompts": ["no-input"], "retries": 1, "next": "pin"
            },
            "pin": {
              "type": "collect", "prompts": ["enter-pin"], "variable": "pin", "masked": true,
              "minDigits": 6, "maxDigits": 6, "next": "sayAccount"
            },
            "sayAccount": { "type": "say", "as": "digits", "variable": "account", "after": ["please-hold"], "next": "bye" },
            "bye": { "type": "hangup", "prompts": ["goodbye"], "reason": "self-service-done" }
          }
        }
        """;

    private static SessionDriver Start(string json, string id, IvrCallContext? context = null)
    {
        var call = new SessionDriver(IvrTestData.Flows((id, json)), id, context);
        call.Start();
        return call;
    }

    [Test]
    public void CollectStoresDigitsAndMaskedCollectKeepsTheSecretOutOfTraceAndText()
    {
        var call = Start(SelfService, "self");
        call.FinishPlayback();
        call.Press("123456789#");
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "enter-pin" }));
        call.FinishPlayback();
        call.Press("987654");

        var session = call.Session;
        Assert.That(session.Variables.Get("account"), Is.EqualTo("123456789"));
        Assert.That(session.GetSecret("pin"), Is.EqualTo("987654"));
        Assert.That(() => session.Variables.Get("pin"), Throws.InvalidOperationException.With.Message.Not.Contain("987654"));
        Assert.That(session.Trace.Select(t => (t.Node, t.Keys)), Is.EqualTo(new[]
        {
            ("self.account", "123456789#"), ("self.pin", "******"), ("self.sayAccount", string.Empty),
        }));

        var texts = new List<string?> { session.ToString(), session.Variables.ToString() };
        texts.AddRange(session.Trace.Select(t => t.ToString()));
        texts.AddRange(call.All.Select(a => a.ToString()));
        texts.Add(new IvrEvent.Digit('9').ToString());
        Assert.That(texts, Has.None.Contain("987654").And.None.Contain("9,8,7"));
        Assert.That(session.Variables.ToString(), Is.EqualTo("{account=123456789, pin=***}"));
        Assert.That(() => session.SetVariable("pin", "0"), Throws.InvalidOperationException);
        session.Variables.ForgetSecrets();
        Assert.That(session.GetSecret("pin"), Is.Null);
        Assert.That(session.Variables.Get("account"), Is.EqualTo("123456789"));
    }

    [Test]
    public void SayReadsTheCollectedAccountThenHangsUpWithTheReason()
    {
        var call = Start(SelfService, "self");
        call.Press("135790#");
        call.Press("000000");
        Assert.That(call.PlayingNames, Is.EqualTo(new[]
        {
            "digit-1", "digit-3", "digit-5", "digit-7", "digit-9", "digit-0", "please-hold",
        }));
        call.FinishPlayback();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "goodbye" }));
        call.FinishPlayback();
        Assert.That(call.Session.Outcome, Is.EqualTo(new IvrAction.HangUp("self-service-done")));
    }

    [Test]
    public void InterDigitTimeoutEndsAnEntryLongEnough()
    {
        var call = Start(SelfService, "self");
        call.FinishPlayback();
        call.Press("1234567");
        Assert.That(call.Timer!.After, Is.EqualTo(TimeSpan.FromSeconds(3)));
        call.FireTimer();
        Assert.That(call.Session.Variables.Get("account"), Is.EqualTo("1234567"));
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "enter-pin" }));
    }

    [Test]
    public void ShortEntryIsInvalidAndTheSecondFailureGoesToTheFallbackQueue()
    {
        var call = Start(SelfService, "self");
        call.FinishPlayback();
        call.Press("123#");
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "invalid-key", "enter-account" }));
        call.FinishPlayback();
        Assert.That(call.Timer!.After, Is.EqualTo(TimeSpan.FromSeconds(8)));
        call.FireTimer();
        Assert.That(call.Session.IsFinished, Is.True);
        Assert.That(call.Session.EndReason, Is.EqualTo("fallback"));
        Assert.That(call.Session.Outcome, Is.InstanceOf<IvrAction.QueueForAgent>());
        var queued = (IvrAction.QueueForAgent)call.Session.Outcome!;
        Assert.That((queued.Queue, string.Join(",", queued.Skills)), Is.EqualTo(("general", "zh")));
        Assert.That(call.Session.Variables.Contains("account"), Is.False);
    }

    [Test]
    public void StarInACollectIsAnInvalidEntry()
    {
        var call = Start(SelfService, "self");
        call.Press("12*");
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "invalid-key", "enter-account" }));
    }

    [Test]
    public void FloodIntoACollectIsCappedByMaxDigitsAndRetries()
    {
        var call = Start(SelfService, "self");
        // 2,000 keys at the driver's 200 ms apart stay inside the session time limit.
        call.Press(new string('7', 2_000));
        Assert.That(call.Session.IsFinished, Is.False, "waits at the goodbye, which drops keys");
        Assert.That(call.Session.Variables.Get("account"), Is.EqualTo(new string('7', 12)));
        Assert.That(call.Session.GetSecret("pin"), Is.EqualTo("777777"));
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "goodbye" }));
        Assert.That(call.All, Has.Count.LessThan(100));
    }

    [Test]
    public void KeysTypedAheadAreCappedAndUsedByTheNextInputNode()
    {
        const string json = """
            {
              "id": "ahead", "start": "notice",
              "nodes": {
                "notice": { "type": "play", "prompts": ["notice-1"], "next": "account" },
                "account": { "type": "collect", "variable": "account", "maxDigits": 32, "terminator": "", "next": "bye" },
                "bye": { "type": "hangup" }
              }
            }
            """;
        var call = Start(json, "ahead");
        call.Press('1');
        Assert.That(call.Session.CurrentNode, Is.EqualTo("ahead.account"), "the first key barged in");
        Assert.That(call.Timer!.After, Is.EqualTo(TimeSpan.FromSeconds(4)), "the typed-ahead key started the entry");
        call.FireTimer();
        Assert.That(call.Session.Variables.Get("account"), Is.EqualTo("1"));
        Assert.That(call.Session.Outcome, Is.EqualTo(new IvrAction.HangUp("ivr-hangup")));
    }

    [Test]
    public void TypeAheadBeforeANonBargeInPromptIsDiscarded()
    {
        const string json = """
            {
              "id": "notice", "start": "skip",
              "nodes": {
                "skip": { "type": "play", "prompts": ["welcome-95500"], "next": "must" },
                "must": { "type": "play", "prompts": ["notice-1"], "bargeIn": false, "next": "menu" },
                "menu": { "type": "menu", "prompts": ["main-menu"], "keys": { "1": "bye" } },
                "bye": { "type": "hangup" }
              }
            }
            """;
        var call = Start(json, "notice");
        call.Press('1');
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "notice-1" }));
        call.Press('1');
        call.FinishPlayback();
        Assert.That(call.PlayingNames, Is.EqualTo(new[] { "main-menu" }), "no key survived the mandatory notice");
        Assert.That(call.Session.IsFinished, Is.False);
    }

    [Test]
    public void MenuWithoutOnFailureQueuesForAnAgentOfTheFallbackQueue()
    {
        const string json = """
            {
              "id": "menuonly", "start": "menu", "fallbackQueue": "overflow",
              "nodes": {
                "menu": { "type": "menu", "prompts": ["main-menu"], "keys": { "1": "bye" }, "retries": 0, "timeout": 3 },
                "bye": { "type": "hangup" }
              }
            }
            """;
        var call = Start(json, "menuonly");
        call.FinishPlayback();
        call.FireTimer();
        Assert.That(call.Session.Outcome, Is.EqualTo(new IvrAction.QueueForAgent("overflow", ((IvrAction.QueueForAgent)call.Session.Outcome!).Skills, 0)));
        Assert.That(((IvrAction.QueueForAgent)call.Session.Outcome!).Skills, Is.EqualTo(new[] { "zh" }));
        Assert.That(call.Session.EndReason, Is.EqualTo("fallback"));
    }

    [TestCase("Diamond", "vip")]
    [TestCase("gold", "vip")]
    [TestCase(null, "general")]
    [TestCase("Dormant", "general")]
    public void BranchOnTierChoosesTheQueue(string? tier, string queue)
    {
        const string json = """
            {
              "id": "tiers", "start": "tier",
              "nodes": {
                "tier": { "type": "branch", "variable": "tier", "cases": { "Diamond": "vip", "Gold": "vip" }, "default": "general" },
                "vip": { "type": "queue", "queue": "vip", "priority": 10, "languageSkill": false },
                "general": { "type": "queue", "queue": "general", "skills": ["stocks"] }
              }
            }
            """;
        var call = Start(json, "tiers", new IvrCallContext("13800000001", "tiers", tier, "en"));
        var queued = (IvrAction.QueueForAgent)call.Session.Outcome!;
        Assert.That(queued.Queue, Is.EqualTo(queue));
        Assert.That(queued.Skills, Is.EqualTo(queue == "vip" ? Array.Empty<string>() : new[] { "stocks", "en" }));
    }

    [Test]
    public void GotoContinuesInAnotherFlowAndTheTraceQualifiesNodesByFlow()
    {
        var flows = IvrTestData.Flows(
            ("first", """{ "id": "first", "start": "hello", "nodes": { "hello": { "type": "play", "prompts": ["please-hold"], "next": "jump" }, "jump": { "type": "goto", "flow": "second" } } }"""),
            ("second", """{ "id": "second", "start": "en", "language": "en", "nodes": { "en": { "type": "setLanguage", "language": "en", "next": "sayDate" }, "sayDate": { "type": "say", "as": "date", "value": "2026-11-22", "next": "bye" }, "bye": { "type": "hangup", "reason": "done" } } }"""));
        var call = new SessionDriver(flows, "first");
        call.Start();
        call.FinishPlayback();
        Assert.That(call.Playing!.Prompts, Is.EqualTo(new[]
        {
            new IvrPrompt("en", "month-11"), new IvrPrompt("en", "n-20"), new IvrPrompt("en", "ord-2"),
            new IvrPrompt("en", "n-20"), new IvrPrompt("en", "n-20"), new IvrPrompt("en", "n-6"),
        }));
        call.FinishPlayback();
        Assert.That(call.Session.Path, Is.EqualTo(new[] { "first.hello", "first.jump", "second.en", "second.sayDate", "second.bye" }));
        Assert.That(call.Session.Outcome, Is.EqualTo(new IvrAction.HangUp("done")));
    }

    [Test]
    public void SayOfAHostVariableThatIsMissingSkipsTheNode()
    {
        const string json = """
            {
              "id": "balance", "start": "say", "variables": ["balance"],
              "nodes": {
                "say": { "type": "say", "as": "currency", "variable": "balance", "before": ["please-hold"], "next": "bye" },
                "bye": { "type": "hangup" }
              }
            }
            """;
        var missing = Start(json, "balance");
        Assert.That(missing.Session.Outcome, Is.EqualTo(new IvrAction.HangUp("ivr-hangup")));
        Assert.That(missing.All.OfType<IvrAction.Play>(), Is.Empty);

        var context = new IvrCallContext("13800000001", "balance") { Variables = new Dictionary<string, string> { ["balance"] = "12.30" } };
        var known = Start(json, "balance", context);
        Assert.That(known.PlayingNames, Is.EqualTo(new[] { "please-hold", "n-10", "n-2", "yuan", "n-3", "jiao" }));
    }

    [Test]
    public void SessionOlderThanTheLimitGoesToAnAgentAtItsNextEvent()
    {
        var call = new SessionDriver(IvrTestData.ShippedFlows(), "95500");
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        call.Session.Start(start);
        var actions = call.Session.Handle(new IvrEvent.Digit('1'), start + TimeSpan.FromMinutes(31));
        Assert.That(actions.OfType<IvrAction.QueueForAgent>().Count(), Is.EqualTo(1));
        Assert.That(actions[0], Is.InstanceOf<IvrAction.StopPlayback>());
        Assert.That(call.Session.EndReason, Is.EqualTo("limit"));
    }

    [Test]
    public void EventsBeforeStartAndASecondStartAreRefused()
    {
        var session = new IvrSession(IvrTestData.ShippedFlows(), "95500", new IvrCallContext("1", "95500"));
        var now = DateTimeOffset.UnixEpoch;
        Assert.That(() => session.Handle(new IvrEvent.Digit('1'), now), Throws.InvalidOperationException);
        session.Start(now);
        Assert.That(() => session.Start(now), Throws.InvalidOperationException);
        Assert.That(() => new IvrSession(IvrTestData.ShippedFlows(), "99999", new IvrCallContext("1", "99999")), Throws.ArgumentException);
    }

    [Test]
    public void UnknownKeysAndStaleTimersAreIgnored()
    {
        var call = new SessionDriver(IvrTestData.ShippedFlows(), "95500");
        call.Start();
        Assert.That(call.Press('A'), Is.Empty);
        call.FinishPlayback();
        var timer = call.Timer!;
        call.Press('9');
        Assert.That(call.Send(new IvrEvent.TimerFired(timer.TimerId)), Is.Empty);
        Assert.That(call.Send(new IvrEvent.TimerFired(12345)), Is.Empty);
    }
}
