using System.Diagnostics;
using CallCenter.ResourceControl.Cluster;
using CallCenter.ResourceControl.Hosting;
using CallCenter.TestSupport;
using Medallion.Threading.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CallCenter.ResourceControl.Tests.Cluster;

/// <summary>
/// The leader lease on a real PostgreSQL (a database of the test's own): of two nodes exactly one leads, a third
/// contender cannot take the lock while it is held, and when the holder's session is killed the other node takes it
/// within 5 s while the old holder stops leading; every node reads the same leader.
/// </summary>
[NonParallelizable]
public sealed class LeaderLeaseTests
{
    private static LeaderLease Lease(TestDatabase database, string node) =>
        new(database.Options, new ClusterOptions { Enabled = true, NodeId = node }, NullLogger<LeaderLease>.Instance);

    private static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(20);
        }

        return condition();
    }

    private static async Task<int> KillSessionAsync(TestDatabase database, string node)
    {
        await using var admin = new NpgsqlConnection(database.Options.ConnectionString);
        await admin.OpenAsync();
        await using var kill = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid))::int FROM pg_stat_activity WHERE application_name = @name", admin);
        kill.Parameters.AddWithValue("name", LeaderLease.ApplicationNamePrefix + node);
        return (int)(await kill.ExecuteScalarAsync())!;
    }

    [Test]
    public async Task OneOfTwoNodesLeadsNoOtherSessionCanTakeTheLockAndTheOtherTakesOverWithinFiveSecondsOfTheHoldersSessionDying()
    {
        await using var database = await TestDatabase.CreateAsync("postgres");
        var a = Lease(database, "node-a");
        var b = Lease(database, "node-b");
        var both = 0;
        using var watch = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!watch.IsCancellationRequested)
            {
                if (a.IsLeader && b.IsLeader)
                {
                    Interlocked.Increment(ref both);
                }

                await Task.Delay(5);
            }
        });

        await a.StartAsync(CancellationToken.None);
        var aLeads = await EventuallyAsync(() => a.IsLeader, TimeSpan.FromSeconds(10));
        await b.StartAsync(CancellationToken.None);
        var bSeesA = await EventuallyAsync(() => b.Leader == "node-a", TimeSpan.FromSeconds(5));

        // Any other session asking for the same lock is refused while node A holds it.
        var intruder = new PostgresDistributedLock(new PostgresAdvisoryLockKey(LeaderLease.Key), database.Options.ConnectionString);
        await using var stolen = await intruder.TryAcquireAsync(TimeSpan.FromMilliseconds(500));
        var bStillFollows = !b.IsLeader;

        // Node A's session dies (as when its process is killed or an operator terminates it).
        var killed = await KillSessionAsync(database, "node-a");
        var clock = Stopwatch.StartNew();
        var bTookOver = await EventuallyAsync(() => b.IsLeader, TimeSpan.FromSeconds(10));
        var takeOver = clock.Elapsed;
        var aStepsDown = await EventuallyAsync(() => !a.IsLeader, TimeSpan.FromSeconds(5));
        var aStepDown = clock.Elapsed;
        var aSeesB = await EventuallyAsync(() => a.Leader == "node-b", TimeSpan.FromSeconds(5));
        var lockedWhileB = await intruder.TryAcquireAsync(TimeSpan.Zero);

        await b.StopAsync(CancellationToken.None);
        var aTakesBack = await EventuallyAsync(() => a.IsLeader, TimeSpan.FromSeconds(5));
        await a.StopAsync(CancellationToken.None);
        await watch.CancelAsync();
        await sampler;
        TestContext.Out.WriteLine($"take-over {takeOver.TotalMilliseconds:F0} ms after the kill; the old holder stepped down after {aStepDown.TotalMilliseconds:F0} ms");

        Assert.That(aLeads, Is.True, "the first node takes the free lease");
        Assert.That(bSeesA, Is.True, "the second node reads who leads from the lock itself");
        Assert.That(stolen, Is.Null, "no other session gets the lock while it is held");
        Assert.That(bStillFollows, Is.True);
        Assert.That(killed, Is.EqualTo(1), "node A held the lease on its own named session");
        Assert.That(bTookOver, Is.True, "node B takes the lease once node A's session is gone");
        Assert.That(takeOver, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(aStepsDown, Is.True, "node A learns its session and lease are gone (keep-alive every second)");
        Assert.That(aStepDown, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(aSeesB, Is.True, "node A, waiting again, names node B as leader");
        Assert.That(lockedWhileB, Is.Null, "node B's hold is exclusive too");
        Assert.That(aTakesBack, Is.True, "node B stopping frees the lease for node A");
        TestContext.Out.WriteLine($"samples where both believed they led: {both} (the old holder's belief lags its lost session by at most one keep-alive)");
    }

    [Test]
    public async Task ASessionThatTakesTheLockByHandIsNoNodeAndIsNotNamedAsLeader()
    {
        await using var database = await TestDatabase.CreateAsync("postgres");
        var byHand = new PostgresDistributedLock(new PostgresAdvisoryLockKey(LeaderLease.Key), database.Options.ConnectionString);
        await using var held = await byHand.TryAcquireAsync(TimeSpan.FromSeconds(5));

        Assert.That(held, Is.Not.Null);
        Assert.That(await LeaderLease.WhoLeadsAsync(database.Options.ConnectionString, CancellationToken.None), Is.Null, "its session names no node");
    }
}
