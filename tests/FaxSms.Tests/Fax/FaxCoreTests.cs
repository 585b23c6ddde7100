using CallCenter.FaxSms.Fax;

namespace CallCenter.FaxSms.Tests.Fax;

/// <summary>The fax room's pure rules: where a fax may go, and what an attempt leaves.</summary>
public sealed class FaxCoreTests
{
    private static readonly DateTimeOffset _now = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan _retry = TimeSpan.FromSeconds(60);

    private static readonly FakeFaxNumbers _trunk = new("13800000001", "+86 21 5558 0000");

    // The far ends of the SIP URIs below, allowed as an administrator would (Fax:SipHosts).
    private static readonly FaxSipHosts _hosts = FaxSipHosts.Parse(["192.0.2.10", "::1"]);

    [TestCase("95580")]
    [TestCase("13800000001")]
    [TestCase("+86 21 5558 0000")]
    [TestCase("sip:95580@127.0.0.1")]
    [TestCase("sip:95580@192.0.2.10:5070")]
    [TestCase("sip:fax@[::1]:5060")]
    [TestCase("sip:+8610123@192.0.2.10;transport=udp")]
    public void TheseDestinationsCanBeFaxed(string to) => Assert.That(FaxDestination.Check(to, "95580", _hosts, _trunk), Is.Null);

    [TestCase(null, "required")]
    [TestCase("", "required")]
    [TestCase("13800000002", "13800000002 cannot be faxed: no trunk is configured")]
    [TestCase("+8613800000002", "cannot be faxed: no trunk")]
    [TestCase("1380000000x", "neither a SIP URI")]
    [TestCase("++8613800000002", "neither a SIP URI")]
    [TestCase("sips:95580@127.0.0.1", "neither a SIP URI")]
    [TestCase("tel:+8613800000001", "neither a SIP URI")]
    [TestCase("sip:95580@fax.example.com", "IP address")]
    [TestCase("sip:@127.0.0.1", "user part")]
    [TestCase("sip:95580@127.0.0.1:70000", "port")]
    [TestCase("sip:95580@127.0.0.1:x", "port")]
    [TestCase("sip:a b@127.0.0.1", "user part")]
    [TestCase("sip:00900123456@198.51.100.7:5060", "trunk's address")] // past the dial plan to the carrier: refused
    public void TheseAreRefusedWithTheReason(string? to, string reason) =>
        Assert.That(FaxDestination.Check(to, "95580", _hosts, _trunk), Does.Contain(reason));

    [Test]
    public void ASipUriIsSplitIntoUserHostAndPort()
    {
        Assert.Multiple(() =>
        {
            Assert.That(FaxDestination.Split("sip:95580@192.0.2.10:5070;transport=udp"), Is.EqualTo(("95580", "192.0.2.10", (int?)5070)));
            Assert.That(FaxDestination.Split("sip:fax@[::1]:5062"), Is.EqualTo(("fax", "[::1]", (int?)5062)));
            Assert.That(FaxDestination.Split("sip:fax@10.0.0.1"), Is.EqualTo(("fax", "10.0.0.1", (int?)null)));
        });
    }

    [Test]
    public void AFaxThatWentThroughIsSentWithAllItsPages()
    {
        var decision = FaxRetry.Decide(Attempt(200, new FaxResult(true, 2, 14400, true, 0, "OK")), 0, 1, 3, _now, _retry);

        Assert.That(decision, Is.EqualTo(new FaxDecision(FaxStatus.Sent, 2, null)));
    }

    [TestCase(486)]
    [TestCase(600)]
    public void ABusyLineIsTriedAgainLater(int status) =>
        Assert.That(FaxRetry.Decide(Attempt(status), 0, 1, 3, _now, _retry), Is.EqualTo(new FaxDecision(FaxStatus.Queued, 0, _now + _retry)));

    // No answer: the far end's 480 or the stack's 408 (no final answer at all), or the platform's own CANCEL
    // after the ring limit (487): tried again while attempts are left, failed on the last.
    [TestCase(408)]
    [TestCase(480)]
    [TestCase(487)]
    public void NoAnswerIsTriedAgainLaterAndFailsOnTheLastAttempt(int status)
    {
        Assert.That(FaxRetry.Decide(Attempt(status), 0, 1, 3, _now, _retry), Is.EqualTo(new FaxDecision(FaxStatus.Queued, 0, _now + _retry)));
        Assert.That(FaxRetry.Decide(Attempt(status), 0, 3, 3, _now, _retry), Is.EqualTo(new FaxDecision(FaxStatus.Failed, 0, null)));
    }

    [Test]
    public void ACallCutAfterAPageIsTriedAgainFromTheNextPageAndCountsItsPages()
    {
        var dropped = Attempt(200, new FaxResult(false, 1, 9600, true, 49, "The call dropped prematurely"));

        var again = FaxRetry.Decide(dropped, 0, 1, 3, _now, _retry);
        var last = FaxRetry.Decide(dropped, 1, 3, 3, _now, _retry);

        Assert.Multiple(() =>
        {
            Assert.That(again, Is.EqualTo(new FaxDecision(FaxStatus.Queued, 1, _now + _retry)));
            Assert.That(last, Is.EqualTo(new FaxDecision(FaxStatus.Partial, 2, null)), "out of attempts with pages across: partial, the pages counted");
        });
    }

    [TestCase(404)]
    [TestCase(403)]
    [TestCase(488)]
    [TestCase(603)]
    public void AWrongAddressAnOfferRefusedOrACallDeclinedIsNotTriedAgain(int status) =>
        Assert.That(FaxRetry.Decide(Attempt(status), 0, 1, 3, _now, _retry), Is.EqualTo(new FaxDecision(FaxStatus.Failed, 0, null)));

    [Test]
    public void ADocumentSpandspCannotReadIsNotTriedAgain() =>
        Assert.That(FaxRetry.Decide(Attempt(200, new FaxResult(false, 0, 0, false, 41, "TIFF/F file cannot be opened")), 0, 1, 3, _now, _retry).Status, Is.EqualTo(FaxStatus.Failed));

    [Test]
    public void ANumberRefusedBeforeDiallingIsNotTriedAgainAndKeepsItsPages() =>
        Assert.That(
            FaxRetry.Decide(new FaxAttempt(0, null, "no trunk is configured", Refused: true), 1, 1, 3, _now, _retry),
            Is.EqualTo(new FaxDecision(FaxStatus.Partial, 1, null)));

    [Test]
    public void NoMoreAttemptsFailsTheFax() =>
        Assert.That(FaxRetry.Decide(Attempt(480), 0, 3, 3, _now, _retry), Is.EqualTo(new FaxDecision(FaxStatus.Failed, 0, null)));

    [Test]
    public void AnInboundFaxIsReceivedPartialOrFailedByWhatWasStored()
    {
        Assert.Multiple(() =>
        {
            Assert.That(FaxStatus.OfInbound(new FaxResult(true, 2, 14400, true, 0, "OK"), 2), Is.EqualTo(FaxStatus.Received));
            Assert.That(FaxStatus.OfInbound(new FaxResult(false, 1, 14400, true, 49, "dropped"), 1), Is.EqualTo(FaxStatus.Partial));
            Assert.That(FaxStatus.OfInbound(new FaxResult(false, 0, 0, false, 2, "T0"), 0), Is.EqualTo(FaxStatus.Failed));
        });
    }

    [TestCase("fax-0193a1b2c3d-0a1b2c3d4e", true)]
    [TestCase("fax-../../etc/passwd", false)]
    [TestCase("msg-1", false)]
    public void AFaxIdIsWellFormedOnlyAsMade(string id, bool wellFormed) => Assert.That(FaxIds.IsWellFormed(id), Is.EqualTo(wellFormed));

    private static FaxAttempt Attempt(int status, FaxResult? result = null) => new(status, result, result?.Text ?? "reason");
}
