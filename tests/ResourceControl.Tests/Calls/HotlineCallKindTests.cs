using CallCenter.Data.Catalog;
using CallCenter.ResourceControl.Calls;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>The hotline call as a kind: which INVITEs it answers, and that its flow runs first.</summary>
public sealed class HotlineCallKindTests
{
    private static readonly Dictionary<string, HotlineRecord> _hotlines = new()
    {
        ["95500"] = new HotlineRecord("95500", "Main line", "ivr"),
        ["95501"] = new HotlineRecord("95501", "VIP line", "vip"),
    };

    private static readonly HotlineCallKind _kind = new(_hotlines, flow => flow == "95500");

    [TestCase("95500", "ivr")]
    [TestCase("95501", "vip")]
    public void AHotlinesNumberIsAnsweredWithItsLine(string dialed, string line) =>
        Assert.That(_kind.Answers(dialed), Is.EqualTo(line));

    [TestCase("95580")]
    [TestCase("1001")]
    [TestCase("")]
    public void AnyOtherNumberIsNotAHotlineCall(string dialed) =>
        Assert.That(_kind.Answers(dialed), Is.Null);

    [Test]
    public void AHotlineWithAFlowRunsIt() =>
        Assert.That(_kind.Start(new TestCallFacts { Dialed = "95500" }), Is.EqualTo(new CallKindStart.RunFlow("95500")));

    [Test]
    public void AHotlineWithoutAFlowWaits() =>
        Assert.That(_kind.Start(new TestCallFacts { Dialed = "95501" }), Is.TypeOf<CallKindStart.Wait>());

    [Test]
    public void ItIsNamedForTheLogs() => Assert.That(_kind.Name, Is.EqualTo("hotline"));
}
