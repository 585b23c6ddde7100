using CallCenter.Data.Calls;
using CallCenter.Data.Catalog;
using CallCenter.Ivr.Flows;
using CallCenter.ResourceControl.Calls;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>The agent's screen pop: the directory entry first, else what the call knows; wait until this offer; masked keys.</summary>
public sealed class ScreenPopTests
{
    private static readonly DateTimeOffset _t0 = TestCallFacts.T0;

    [Test]
    public void AKnownClientShowsTheirDirectoryEntryMaskedAccountHistoryAndIvrPath()
    {
        var previous = new RecentCall("old-1", _t0.AddDays(-2), "1002", "agent-hung-up", "query", "asked about margin", 150);
        var facts = new TestCallFacts
        {
            Client = new ClientRecord("13800000001", "王芳", "****5678", "diamond", "1001", "zh", "Shanghai"),
            AccountManagerName = "Li Wei",
            Queue = "vip",
            QueuedAt = _t0.AddSeconds(10),
            IvrTrace = [new IvrTraceEntry("menu", _t0.AddSeconds(3), "0"), new IvrTraceEntry("pin", _t0.AddSeconds(5), "******")],
            Recent = [previous],
        };

        var pop = ScreenPop.Build(facts, "1001", _t0.AddSeconds(25));

        Assert.Multiple(() =>
        {
            Assert.That(pop.CallId, Is.EqualTo(facts.Id));
            Assert.That(pop.Agent, Is.EqualTo("1001"));
            Assert.That(pop.Name, Is.EqualTo("王芳"));
            Assert.That(pop.Tier, Is.EqualTo("diamond"));
            Assert.That(pop.MaskedAccount, Is.EqualTo("****5678"));
            Assert.That(pop.AccountManager, Is.EqualTo("1001"));
            Assert.That(pop.AccountManagerName, Is.EqualTo("Li Wei"));
            Assert.That(pop.Branch, Is.EqualTo("Shanghai"));
            Assert.That(pop.Language, Is.EqualTo("zh"));
            Assert.That(pop.WaitSeconds, Is.EqualTo(15).Within(1e-9));
            Assert.That(pop.IvrPath.Select(s => (s.Node, s.Keys)), Is.EqualTo(new[] { ("menu", "0"), ("pin", "******") }));
            Assert.That(pop.Recent, Has.Count.EqualTo(1));
            Assert.That(pop.Recent[0].WrapUpCode, Is.EqualTo("query"));
            Assert.That(pop.Recent[0].WrapUpNotes, Is.EqualTo("asked about margin"));
            Assert.That(pop.Recent[0].TalkSeconds, Is.EqualTo(150));
        });
    }

    [Test]
    public void AnUnknownCallerShowsOnlyWhatTheCallKnowsAndNoAccount()
    {
        var facts = new TestCallFacts { Language = "en" };

        var pop = ScreenPop.Build(facts, "1003", _t0.AddSeconds(5));

        Assert.Multiple(() =>
        {
            Assert.That(pop.Name, Is.Null);
            Assert.That(pop.Tier, Is.Null);
            Assert.That(pop.MaskedAccount, Is.Null);
            Assert.That(pop.Branch, Is.Null);
            Assert.That(pop.Language, Is.EqualTo("en"));
            Assert.That(pop.WaitSeconds, Is.Zero);
            Assert.That(pop.Recent, Is.Empty);
        });
    }

    [Test]
    public void ACallerIdFromAnUntrustedPeerIsShownAsNotVerified()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ScreenPop.Build(new TestCallFacts { CallerVerified = false }, "1001", _t0).CallerVerified, Is.False);
            Assert.That(ScreenPop.Build(new TestCallFacts(), "1001", _t0).CallerVerified, Is.True);
        });
    }

    [Test]
    public void OnlyACallerWhosePinWasVerifiedShowsVerifiedByPinAndNoPopCarriesBalances()
    {
        var verified = ScreenPop.Build(new TestCallFacts { VerifiedByPin = true }, "1001", _t0);
        var byNumber = ScreenPop.Build(new TestCallFacts(), "1001", _t0);

        Assert.Multiple(() =>
        {
            Assert.That(verified.VerifiedByPin, Is.True);
            Assert.That(byNumber.VerifiedByPin, Is.False);
            // The pop is who called and what they did; money stays in the back office.
            Assert.That(typeof(CallCenter.Contracts.Calls.CallPop).GetProperties().Select(p => p.Name),
                Has.None.Contains("Balance").And.None.Contains("Cash").And.None.Contains("Available"));
        });
    }

    [Test]
    public void APinVerifiedForAnotherAccountThanTheNumbersClientShowsWhichAccountWasVerified()
    {
        // The number belongs to client …0001 (the directory's entry); the caller keyed account 880000000002 and its PIN.
        var pop = ScreenPop.Build(new TestCallFacts { VerifiedByPin = true, VerifiedAccount = "880000000002" }, "1001", _t0);
        var byNumber = ScreenPop.Build(new TestCallFacts { VerifiedAccount = "880000000002" }, "1001", _t0);

        Assert.Multiple(() =>
        {
            Assert.That(pop.VerifiedAccountMasked, Is.EqualTo("********0002"), "the desk names the account the PIN proves, not only \"verified\"");
            Assert.That(pop.ToString(), Does.Not.Contain("880000000002"), "never the whole account");
            Assert.That(byNumber.VerifiedAccountMasked, Is.Null, "no account without a verified PIN");
        });
    }

    [Test]
    public void AnOfferBeforeTheQueueClockNeverShowsANegativeWait()
    {
        var facts = new TestCallFacts { QueuedAt = _t0.AddSeconds(30) };

        Assert.That(ScreenPop.Build(facts, "1001", _t0.AddSeconds(20)).WaitSeconds, Is.Zero);
    }

    [Test]
    public void ThePopCarriesTheConfiguredSchemesNamesAndColourForTheTier()
    {
        var card = new TestCallFacts { Client = new ClientRecord("13800000009", "赵敏", "****0009", "goldcard", "1002", "zh", "Beijing") };
        var unknownTier = new TestCallFacts { Client = new ClientRecord("13800000010", "钱坤", "****0010", "Bronze", "1003", "zh", "Beijing") };
        var securities = CallCenter.ResourceControl.Clients.TierSchemes.SecuritiesTiers();

        var pop = ScreenPop.Build(card, "1002", _t0, securities);
        var withoutScheme = ScreenPop.Build(card, "1002", _t0);
        var notInScheme = ScreenPop.Build(unknownTier, "1002", _t0, securities);

        Assert.Multiple(() =>
        {
            Assert.That((pop.Tier, pop.TierZh, pop.TierEn, pop.TierColour), Is.EqualTo(("goldcard", "金卡", "Gold card", "#c99a06")));
            Assert.That((withoutScheme.TierZh, withoutScheme.TierEn, withoutScheme.TierColour), Is.EqualTo(((string?)null, (string?)null, (string?)null)));
            Assert.That((notInScheme.Tier, notInScheme.TierColour), Is.EqualTo(("Bronze", (string?)null)), "a tier the scheme does not know keeps its name, without a colour");
        });
    }
}
