using System.Net;
using System.Net.Sockets;

namespace CallCenter.TestSupport;

/// <summary>Free loopback ports for tests that start servers, so runs never collide.</summary>
public static class FreePorts
{
    private static readonly object _gate = new();
    private static readonly HashSet<int> _handed = [];

    /// <summary>A port free for both UDP and TCP on 127.0.0.1 (SIP listens on both).</summary>
    public static int UdpAndTcp()
    {
        lock (_gate)
        {
            for (var attempt = 0; attempt < 100; attempt++)
            {
                using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
                using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                try
                {
                    udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                }
                catch (SocketException)
                {
                    continue;
                }

                if (_handed.Add(port))
                {
                    return port;
                }
            }

            throw new InvalidOperationException("No free loopback port found.");
        }
    }

    /// <summary>
    /// Where blocks of 100 ports or more come from (a platform's RTP range): 10000-19999, below the
    /// platform's default RTP range (20000-29999) and the kernel's ephemeral ports (32768 and up,
    /// where client sockets land, scattered). Only large blocks come from here, and their users hand
    /// them back, so the range cannot be cut into pieces too small for the next one.
    /// </summary>
    public static readonly (int First, int End) LargeBlocks = (10000, 20000);

    /// <summary>
    /// Where smaller blocks for another process come from (sipp's media ports, baresip's): 30000-32767.
    /// Many of their users never hand them back; kept apart, they cannot starve the large blocks.
    /// </summary>
    public static readonly (int First, int End) SmallBlocks = (30000, 32768);

    /// <summary>
    /// Where blocks for the test's own process come from (<see cref="InProcessBlock"/>): 20000-29999, the platform's
    /// default RTP range, which no test's platform uses (they are all given a large block).
    /// </summary>
    public static readonly (int First, int End) InProcessBlocks = (20000, 30000);

    /// <summary>How long <see cref="UdpBlock"/> waits for a block to come free (a stopping process's ports).</summary>
    private static readonly TimeSpan _blockWait = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The first port of a free even-aligned block of <paramref name="count"/> UDP ports for another
    /// process (a platform's RTP range, sipp's or baresip's media ports), from <see cref="LargeBlocks"/> or
    /// <see cref="SmallBlocks"/> by its size: first fit
    /// from a random point, wrapping (so test processes
    /// running beside, each with its own record of what it handed out, seldom race for one block),
    /// skipping past each port in use. Waits up to a minute for one to come free before it throws.
    /// </summary>
    public static int UdpBlock(int count) => Block(count, count >= 100 ? LargeBlocks : SmallBlocks);

    /// <summary>
    /// A block of <paramref name="count"/> UDP ports for RTP sessions this test process opens itself (unit tests' port
    /// allocators). They bind their ports lazily, at any time during the test, so they must not share a range with blocks
    /// handed to other processes (a sipp that starts to find its media port taken fails its call): they get
    /// <see cref="InProcessBlocks"/>, whose collisions an allocator survives by skipping the port.
    /// </summary>
    public static int InProcessBlock(int count) => Block(count, InProcessBlocks);

    private static int Block(int count, (int First, int End) range)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var deadline = DateTime.UtcNow + _blockWait;
        while (true)
        {
            lock (_gate)
            {
                if (FindBlock(range, count, Random.Shared.Next()) is { } start)
                {
                    foreach (var p in Enumerable.Range(start, count))
                    {
                        _handed.Add(p);
                    }

                    return start;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException(
                    $"No free block of {count} UDP ports in {range.First}-{range.End - 1} "
                    + $"after {_blockWait.TotalSeconds:0} s ({_handed.Count} ports handed out by this process).");
            }

            Thread.Sleep(500);
        }
    }

    /// <summary>Under <see cref="_gate"/>: the first free even block in <paramref name="range"/> at or after a point chosen by <paramref name="seed"/>, wrapping once.</summary>
    private static int? FindBlock((int First, int End) range, int count, int seed)
    {
        var (first, end) = range;
        var cut = first + (seed % (end - first));
        cut -= cut % 2;

        // From the cut to the range's end, then from its start to just past the cut (a block astride it).
        foreach (var (from, to) in new[] { (cut, end), (first, Math.Min(end, cut + count)) })
        {
            var start = from + (from % 2);
            while (start + count <= to)
            {
                var busy = -1;
                for (var p = start + count - 1; p >= start; p--)
                {
                    if (_handed.Contains(p) || !IsUdpFree(p))
                    {
                        busy = p;
                        break;
                    }
                }

                if (busy < 0)
                {
                    return start;
                }

                start = busy + 1 + ((busy + 1) % 2); // no block holding the busy port can fit
            }
        }

        return null;
    }

    /// <summary>Hands a block back once its user has stopped (a platform process or sipp has exited).</summary>
    public static void ReleaseBlock(int start, int count)
    {
        lock (_gate)
        {
            foreach (var p in Enumerable.Range(start, count))
            {
                _handed.Remove(p);
            }
        }
    }

    private static bool IsUdpFree(int port)
    {
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
