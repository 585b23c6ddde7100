using CallCenter.ResourceControl.Clients;
using CallCenter.ResourceControl.Hosting;
using CallCenter.ResourceControl.Routing;
using CallCenter.Telephony;

namespace CallCenter.ResourceControl.Tests.Hosting;

public sealed class AdminSettingsFactoryTests
{
    [Test]
    public void TheAdminPagesSeeTheConfiguredQueuesTiersAndRealm()
    {
        var routing = new RoutingOptions
        {
            Queues = new(StringComparer.OrdinalIgnoreCase)
            {
                ["vip"] = new QueueOptions { MaxLength = 50, MaxWaitSeconds = 300, Overflow = "general", Strategy = "fewestcalls", Closed = true },
                ["general"] = new QueueOptions { Skills = ["stocks"], MaxLength = 200 },
            },
        };
        var tiers = new TierOptions { GoldFees = 12_000m, ReviewDay = 3 };

        var settings = AdminSettingsFactory.Create(new SipOptions { Realm = "broker" }, routing, tiers);

        Assert.That(settings.SipRealm, Is.EqualTo("broker"));
        Assert.That(settings.Queues, Has.Count.EqualTo(2));
        Assert.That(settings.Queues[0].Id, Is.EqualTo("general"));
        Assert.That(settings.Queues[0].Skills, Is.EqualTo(new[] { "stocks" }));
        Assert.That(settings.Queues[1], Is.EqualTo(settings.Queues[1] with { Id = "vip", MaxLength = 50, MaxWaitSeconds = 300, Overflow = "general", Strategy = "FewestCalls", Closed = true }));
        Assert.That(settings.Tiers.Names, Is.EqualTo(new[] { "Diamond", "Platinum", "Gold", "Quality", "Effective", "Ordinary", "Dormant" }));
        Assert.That(settings.Tiers.BonusSeconds["Diamond"], Is.EqualTo(600));
        Assert.That(settings.Tiers.Thresholds["GoldFees"], Is.EqualTo(12_000m));
        Assert.That(settings.Tiers.Thresholds["DiamondEquity"], Is.EqualTo(10_000_000m));
        Assert.That((settings.Tiers.ReviewJob, settings.Tiers.ReviewDay, settings.Tiers.ReviewHour), Is.EqualTo((true, 3, 2)));
        Assert.That((settings.Queues[1].Priority, settings.Queues[1].StarvationGuardSeconds), Is.EqualTo(("headStart", 0)));
        Assert.That(settings.Tiers.Definitions.Single(d => d.Name == "Gold").MinFees, Is.EqualTo(12_000m), "the futures scheme's thresholds are the review's keys");
    }
}
