using System.Collections.Concurrent;

namespace CallCenter.Telephony.Tests;

/// <summary>The buffered draws for tags, SSRCs and call ids: never the same bytes twice, on one thread or many, across refills.</summary>
public sealed class RandomBytesTests
{
    [Test]
    public void DrawsAcrossManyRefillsAndThreadsAreNeverRepeated()
    {
        // 10-byte draws (an RTP session's): 1,024 / 10 per buffer, so each thread refills about a hundred times.
        var seen = new ConcurrentDictionary<string, int>();
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            Span<byte> draw = stackalloc byte[10];
            for (var i = 0; i < 10_000; i++)
            {
                RandomBytes.Fill(draw);
                seen.AddOrUpdate(Convert.ToHexString(draw), 1, (_, n) => n + 1);
            }
        });

        Assert.That(seen, Has.Count.EqualTo(40_000), "a draw handed out twice");
    }

    [Test]
    public void ADrawIsNotAllZerosAndALargeOneIsFilled()
    {
        var small = new byte[8];
        var large = new byte[4096];
        RandomBytes.Fill(small);
        RandomBytes.Fill(large);

        Assert.That(small, Has.Some.Not.EqualTo(0));
        Assert.That(large.Count(b => b == 0), Is.LessThan(64), "4,096 random bytes hold about 16 zeros");
    }
}
