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

    /// <summary>The first port of a free even-aligned block of <paramref name="count"/> UDP ports (for RTP ranges).</summary>
    public static int UdpBlock(int count)
    {
        lock (_gate)
        {
            // From a random even point, around the whole 30000-59999 range once (wrapping), so a late
            // start still finds the free blocks below it.
            const int first = 30000;
            const int span = 30000;
            var offset = Random.Shared.Next(0, span / 2) * 2;
            for (var step = 0; step < span; step += count + 2)
            {
                var start = first + ((offset + step) % (span - count));
                start -= start % 2;
                if (Enumerable.Range(start, count).All(p => !_handed.Contains(p) && IsUdpFree(p)))
                {
                    foreach (var p in Enumerable.Range(start, count))
                    {
                        _handed.Add(p);
                    }

                    return start;
                }
            }

            throw new InvalidOperationException("No free UDP port block found.");
        }
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
