using CallCenter.ResourceControl.Agents;

namespace CallCenter.ResourceControl.Tests.Agents;

public sealed class AgentOptionsTests
{
    [Test]
    public void DefaultsAreValid()
    {
        var options = new AgentOptions();

        Assert.That(options.Validate(), Is.Empty);
        Assert.That((options.WrapUpSeconds, options.MaxMissedOffers, options.RingTimeoutSeconds), Is.EqualTo((15, 2, 20)));
    }

    [Test]
    public void NegativeWrapUpIsNamed()
    {
        Assert.That(new AgentOptions { WrapUpSeconds = -1 }.Validate(), Has.One.Contains("Agents:WrapUpSeconds"));
    }

    [Test]
    public void ZeroMissedOffersIsNamed()
    {
        Assert.That(new AgentOptions { MaxMissedOffers = 0 }.Validate(), Has.One.Contains("Agents:MaxMissedOffers"));
    }

    [Test]
    public void ZeroRingTimeoutIsNamed()
    {
        Assert.That(new AgentOptions { RingTimeoutSeconds = 0 }.Validate(), Has.One.Contains("Agents:RingTimeoutSeconds"));
    }
}
