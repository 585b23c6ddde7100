using CallCenter.ResourceControl.Routing;
using Microsoft.Extensions.Configuration;

namespace CallCenter.ResourceControl.Tests.Routing;

public sealed class RoutingOptionsTests
{
    private static RoutingOptions Bind(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(RoutingOptions.Section).Get<RoutingOptions>()
        ?? new RoutingOptions();

    [Test]
    public void DefaultsAndAWellFormedQueueAreValid()
    {
        var options = Bind(new()
        {
            ["Routing:Queues:vip:Strategy"] = "FewestCalls",
            ["Routing:Queues:vip:Skills:0"] = "stocks",
            ["Routing:Queues:vip:MaxWaitSeconds"] = "120",
            ["Routing:Queues:vip:Overflow"] = "main",
            ["Routing:Queues:main:MaxLength"] = "50",
        });

        Assert.That(options.Validate(), Is.Empty);
        Assert.That(options.Queues["VIP"].ParsedStrategy, Is.EqualTo(RoutingStrategy.FewestCalls));
        Assert.That(options.BonusFor("diamond"), Is.EqualTo(600));
    }

    [Test]
    public void UnknownStrategyIsNamedByItsKey()
    {
        var options = Bind(new() { ["Routing:Queues:vip:Strategy"] = "Random" });

        Assert.That(options.Validate(), Has.One.StartsWith("Routing:Queues:vip:Strategy \"Random\""));
    }

    [Test]
    public void OverflowToAMissingQueueIsNamedByItsKey()
    {
        var options = Bind(new() { ["Routing:Queues:vip:Overflow"] = "nowhere" });

        Assert.That(options.Validate(), Has.One.StartsWith("Routing:Queues:vip:Overflow \"nowhere\""));
    }

    [Test]
    public void NegativeValuesAreNamedByTheirKeys()
    {
        var options = Bind(new()
        {
            ["Routing:TierBonusSeconds:Gold"] = "-5",
            ["Routing:RelationshipOfferSeconds"] = "-1",
            ["Routing:HandleTimeSamples"] = "0",
            ["Routing:Queues:main:MaxLength"] = "-2",
        });

        var errors = options.Validate();

        Assert.That(errors, Has.One.StartsWith("Routing:TierBonusSeconds:Gold "));
        Assert.That(errors, Has.One.StartsWith("Routing:RelationshipOfferSeconds "));
        Assert.That(errors, Has.One.StartsWith("Routing:HandleTimeSamples "));
        Assert.That(errors, Has.One.StartsWith("Routing:Queues:main:MaxLength "));
        Assert.That(errors, Has.Count.EqualTo(4));
    }

    [Test]
    public void PriorityAndGuardBindAndParse()
    {
        var options = Bind(new()
        {
            ["Routing:Queues:vip:Priority"] = "strict",
            ["Routing:Queues:vip:StarvationGuardSeconds"] = "300",
            ["Routing:Queues:main:Priority"] = "headStart",
        });

        Assert.That(options.Validate(), Is.Empty);
        Assert.That(options.Queues["vip"].ParsedPriority, Is.EqualTo(QueuePriority.Strict));
        Assert.That(options.Queues["main"].ParsedPriority, Is.EqualTo(QueuePriority.HeadStart));
        Assert.That(new QueueOptions().ParsedPriority, Is.EqualTo(QueuePriority.HeadStart), "head start is the default");
    }

    [Test]
    public void UnknownPriorityAndAGuardOutsideStrictAreNamedByTheirKeys()
    {
        var options = Bind(new()
        {
            ["Routing:Queues:a:Priority"] = "fastest",
            ["Routing:Queues:b:Priority"] = "1",
            ["Routing:Queues:c:StarvationGuardSeconds"] = "600",
            ["Routing:Queues:d:Priority"] = "strict",
            ["Routing:Queues:d:StarvationGuardSeconds"] = "-1",
        });

        var errors = options.Validate();

        Assert.That(errors, Has.One.StartsWith("Routing:Queues:a:Priority \"fastest\" is not one of headStart, strict"));
        Assert.That(errors, Has.One.StartsWith("Routing:Queues:b:Priority \"1\""));
        Assert.That(errors, Has.One.StartsWith("Routing:Queues:c:StarvationGuardSeconds (600) applies only to Priority \"strict\""));
        Assert.That(errors, Has.One.StartsWith("Routing:Queues:d:StarvationGuardSeconds must be 0"));
        Assert.That(errors, Has.Count.EqualTo(4));
    }
}
