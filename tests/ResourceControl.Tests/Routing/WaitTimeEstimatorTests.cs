using CallCenter.ResourceControl.Routing;

namespace CallCenter.ResourceControl.Tests.Routing;

public sealed class WaitTimeEstimatorTests
{
    [Test]
    public void BeforeAnyCallTheDefaultHandleTimeIsUsed()
    {
        var estimator = new WaitTimeEstimator(new RoutingOptions { DefaultHandleSeconds = 180 });

        Assert.That(estimator.Estimate(position: 3, staffedAgents: 2), Is.EqualTo(TimeSpan.FromSeconds(270)));
    }

    [Test]
    public void EstimateUsesTheAverageOfTheLastSamples()
    {
        var estimator = new WaitTimeEstimator(new RoutingOptions { HandleTimeSamples = 2 });
        estimator.RecordHandleTime(TimeSpan.FromSeconds(100));
        estimator.RecordHandleTime(TimeSpan.FromSeconds(200));
        estimator.RecordHandleTime(TimeSpan.FromSeconds(300));

        Assert.That(estimator.AverageHandleTime, Is.EqualTo(TimeSpan.FromSeconds(250)));
        Assert.That(estimator.Estimate(position: 2, staffedAgents: 5), Is.EqualTo(TimeSpan.FromSeconds(100)));
    }

    [Test]
    public void NoStaffedAgentCountsAsOne()
    {
        var estimator = new WaitTimeEstimator(new RoutingOptions());
        estimator.RecordHandleTime(TimeSpan.FromSeconds(60));

        Assert.That(estimator.Estimate(position: 4, staffedAgents: 0), Is.EqualTo(TimeSpan.FromSeconds(240)));
    }

    [Test]
    public void EstimateIsCapped()
    {
        var estimator = new WaitTimeEstimator(new RoutingOptions { MaxEstimatedWaitSeconds = 900 });

        Assert.That(estimator.Estimate(position: 100, staffedAgents: 1), Is.EqualTo(TimeSpan.FromSeconds(900)));
    }

    [Test]
    public void PositionBelowOneIsRejected()
    {
        var estimator = new WaitTimeEstimator(new RoutingOptions());

        Assert.That(() => estimator.Estimate(0, 1), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
