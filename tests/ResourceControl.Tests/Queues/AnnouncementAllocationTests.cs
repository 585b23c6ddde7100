using CallCenter.ResourceControl.Queues;
using CallCenter.ResourceControl.Routing;
using CallCenter.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallCenter.ResourceControl.Tests.Queues;

/// <summary>
/// Every waiting caller hears their position every <see cref="RoutingOptions.AnnouncementSeconds"/>: one round
/// announces the whole queue, so what one announcement costs must not grow with the queue's length (issue 11).
/// </summary>
public sealed class AnnouncementAllocationTests
{
    private const int Waiting = 1000;

    [Test]
    public void ARoundOfAnnouncementsAllocatesAFewPromptsPerCallerWhateverTheQueuesLength()
    {
        var time = new ManualTimeProvider();
        using var queues = new AcdQueues(new RoutingOptions { AnnouncementSeconds = 30 }, time, NullLogger<AcdQueues>.Instance);
        var announced = 0;
        var prompts = 0;
        for (var i = 0; i < Waiting; i++)
        {
            queues.Enqueue(
                new WaitingCall($"call-{i}", "general", null, "zh", [], time.GetUtcNow()) { Caller = $"13900{i:D6}" },
                "zh",
                list =>
                {
                    announced++;
                    prompts += list.Count;
                });
        }

        Assert.That(announced, Is.EqualTo(Waiting), "each caller hears their position on entering the queue");
        time.Advance(TimeSpan.FromSeconds(29));
        announced = 0;
        prompts = 0;

        var before = GC.GetAllocatedBytesForCurrentThread();
        time.Advance(TimeSpan.FromSeconds(1));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(announced, Is.EqualTo(Waiting), "the round announces every waiting caller");
        Assert.That(prompts, Is.GreaterThan(Waiting), "each announcement says the position and the wait");
        // The caller's prompts. Reading the staffing from a queue snapshot (which sorts the queue and lists
        // 50 callers) cost about 23 KB per caller with 1,000 waiting, and grew with them.
        Assert.That(allocated / Waiting, Is.LessThan(4096), $"{allocated:N0} bytes for {Waiting:N0} announcements");
    }
}
