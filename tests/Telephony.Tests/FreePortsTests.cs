using CallCenter.TestSupport;
using NUnit.Framework;

namespace CallCenter.Telephony.Tests;

/// <summary>The tests' port helper: what a long run leaves handed out must not starve the platforms' RTP blocks.</summary>
public class FreePortsTests
{
    [Test]
    public void ATestsOwnBlocksNeverShareARangeWithBlocksForOtherProcesses()
    {
        // A unit test's allocator binds its ports whenever it likes; a sipp given a port it then took would fail its call.
        var own = FreePorts.InProcessBlock(10);
        var peer = FreePorts.UdpBlock(4);
        try
        {
            Assert.That(own, Is.InRange(FreePorts.InProcessBlocks.First, FreePorts.InProcessBlocks.End - 10));
            Assert.That(peer, Is.InRange(FreePorts.SmallBlocks.First, FreePorts.SmallBlocks.End - 4));
            Assert.That(
                new[] { FreePorts.LargeBlocks, FreePorts.SmallBlocks }.Any(r => r.First < FreePorts.InProcessBlocks.End && FreePorts.InProcessBlocks.First < r.End),
                Is.False,
                "the ranges are apart");
        }
        finally
        {
            FreePorts.ReleaseBlock(own, 10);
            FreePorts.ReleaseBlock(peer, 4);
        }
    }

    [Test]
    public void LargeBlocksStillComeAfterManySmallOnesAndSinglesAndNeverOverlap()
    {
        // A CI run failed with "No free UDP port block found" for a platform's 400 ports part-way
        // through: sipp's 4-port blocks, placed at random and mostly never handed back, had cut the
        // one shared range into gaps too small.
        var singles = Enumerable.Range(0, 500).Select(_ => FreePorts.UdpAndTcp()).ToHashSet();
        var small = Enumerable.Range(0, 300).Select(_ => FreePorts.UdpBlock(4)).ToList();
        var large = new List<int>();
        try
        {
            large.AddRange(Enumerable.Range(0, 8).Select(_ => FreePorts.UdpBlock(400)));
            var smallPorts = small.SelectMany(b => Enumerable.Range(b, 4)).ToList();
            var largePorts = large.SelectMany(b => Enumerable.Range(b, 400)).ToList();
            Assert.Multiple(() =>
            {
                Assert.That(small.Concat(large), Has.All.Matches<int>(b => b % 2 == 0), "RTP blocks start on an even port");
                Assert.That(smallPorts.Concat(largePorts), Is.Unique, "no port is in two blocks");
                Assert.That(smallPorts.Concat(largePorts).Where(singles.Contains), Is.Empty, "no block port was handed out alone");
                Assert.That(small, Has.All.Matches<int>(b => b >= FreePorts.SmallBlocks.First && b + 4 <= FreePorts.SmallBlocks.End));
                Assert.That(large, Has.All.Matches<int>(b => b >= FreePorts.LargeBlocks.First && b + 400 <= FreePorts.LargeBlocks.End));
            });
        }
        finally
        {
            small.ForEach(b => FreePorts.ReleaseBlock(b, 4));
            large.ForEach(b => FreePorts.ReleaseBlock(b, 400));
        }
    }
}
