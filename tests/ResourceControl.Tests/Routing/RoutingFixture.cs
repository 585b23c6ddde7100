using CallCenter.ResourceControl.Routing;

namespace CallCenter.ResourceControl.Tests.Routing;

/// <summary>Shared times and builders for the routing tests.</summary>
internal static class RoutingFixture
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 30, 0, TimeSpan.Zero);

    public static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);

    public static RoutingOptions Options(params (string Id, QueueOptions Queue)[] queues)
    {
        var options = new RoutingOptions();
        foreach (var (id, queue) in queues)
        {
            options.Queues[id] = queue;
        }

        return options;
    }

    public static WaitingCall Call(
        string id, double enteredAtSeconds, string? tier = null, string queue = "main", string? language = null,
        string[]? skills = null, string? manager = null, int priorityHint = 0) =>
        new(id, queue, tier, language, skills ?? [], At(enteredAtSeconds), manager, priorityHint);

    /// <summary>Logs an agent in and makes it available at <paramref name="availableAtSeconds"/>; asserts nothing was waiting for it.</summary>
    public static void Available(AcdRouter router, string extension, double availableAtSeconds, params string[] skills)
    {
        router.LogIn(extension, skills);
        var assignment = router.AgentAvailable(extension, At(availableAtSeconds));
        Assert.That(assignment, Is.Null, $"agent {extension} found a call while the test was setting up");
    }
}
