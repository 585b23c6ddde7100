using CallCenter.Contracts.Agents;

namespace CallCenter.Contracts.Tests.Agents;

public sealed class AgentStateChangeTests
{
    [Test]
    public void AChangeIsAcceptedOnlyWhenItsErrorIsNone()
    {
        var agent = new AgentSnapshot("1001", "available", true, DateTimeOffset.UnixEpoch, null, null);

        var accepted = Enum.GetValues<AgentStateChangeError>().Where(e => new AgentStateChange(agent, e, null).Accepted);

        Assert.That(accepted, Is.EqualTo(new[] { AgentStateChangeError.None }));
    }
}
