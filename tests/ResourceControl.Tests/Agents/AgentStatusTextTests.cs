using CallCenter.ResourceControl.Agents;

namespace CallCenter.ResourceControl.Tests.Agents;

public sealed class AgentStatusTextTests
{
    [TestCase("available", "Available")]
    [TestCase("Break", "Break")]
    [TestCase("OFFLINE", "Offline")]
    public void RequestStatesAreRead(string text, string expected)
    {
        Assert.That(AgentStatusText.TryParseRequest(text, out var status), Is.True);
        Assert.That(status, Is.EqualTo(Enum.Parse<AgentStatus>(expected)));
    }

    [TestCase("onCall")]
    [TestCase("wrapUp")]
    [TestCase("")]
    [TestCase(null)]
    public void OnlyAvailableBreakAndOfflineCanBeRequested(string? text) => Assert.That(AgentStatusText.TryParseRequest(text, out _), Is.False);

    [Test]
    public void ApiNamesAreCamelCase()
    {
        Assert.That(Enum.GetValues<AgentStatus>().Select(AgentStatusText.ToApi), Is.EqualTo(new[] { "offline", "available", "offered", "onCall", "wrapUp", "break" }));
    }
}
