using CallCenter.ResourceControl.Calls;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>The fax call as a kind: only the configured fax number, and its receiver runs instead of a flow.</summary>
public sealed class FaxCallKindTests
{
    private static readonly FaxCallKind _kind = new("95580");

    [Test]
    public void TheFaxNumberIsAnsweredAsAFaxLine() => Assert.That(_kind.Answers("95580"), Is.EqualTo("fax"));

    [TestCase("95500")]
    [TestCase("955800")]
    [TestCase("")]
    public void AnyOtherNumberIsNotAFaxCall(string dialed) => Assert.That(_kind.Answers(dialed), Is.Null);

    [Test]
    public void WithoutAFaxNumberNothingIsAFaxCall() => Assert.That(new FaxCallKind("").Answers(""), Is.Null);

    [Test]
    public void AFaxCallStartsItsReceiver() =>
        Assert.That(_kind.Start(new TestCallFacts { Dialed = "95580" }), Is.TypeOf<CallKindStart.ReceiveFax>());

    [Test]
    public void ItIsNamedForTheLogs() => Assert.That(_kind.Name, Is.EqualTo("fax"));
}
