using CallCenter.ResourceControl.Hosting;
using CallCenter.ResourceControl.Metrics;
using Microsoft.Extensions.Configuration;

namespace CallCenter.ResourceControl.Tests.Metrics;

public sealed class MetricsOptionsTests
{
    [Test]
    public void DefaultsAreValid()
    {
        var options = new MetricsOptions();

        Assert.That(options.Validate(), Is.Empty);
        Assert.That((options.ServiceLevelSeconds, options.IntervalMinutes), Is.EqualTo((20, 15)));
    }

    [TestCase(0)]
    [TestCase(3601)]
    public void AServiceLevelThresholdOutOfRangeIsNamed(int seconds)
    {
        Assert.That(new MetricsOptions { ServiceLevelSeconds = seconds }.Validate(), Has.One.Contains("Metrics:ServiceLevelSeconds"));
    }

    [TestCase(0)]
    [TestCase(1441)]
    public void AnIntervalOutOfRangeIsNamed(int minutes)
    {
        Assert.That(new MetricsOptions { IntervalMinutes = minutes }.Validate(), Has.One.Contains("Metrics:IntervalMinutes"));
    }

    [Test]
    public void TheSectionsKeysAreKnownAndATypoIsNamed()
    {
        var file = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Metrics:ServiceLevelSeconds"] = "30",
            ["Metrics:IntervalMinutes"] = "30",
            ["Metrics:IntervalMinute"] = "30",
        }).Build();

        var errors = ConfigurationChecker.UnknownKeys(file, new ConfigurationBuilder().Build(), file).ToList();

        Assert.That(errors, Is.EqualTo(new[] { "Unknown configuration key \"Metrics:IntervalMinute\"." }));
    }
}
