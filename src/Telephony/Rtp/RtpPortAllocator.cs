namespace CallCenter.Telephony.Rtp;

/// <summary>
/// Hands out even RTP ports (RTCP takes the odd one above, RFC 3550 11) from
/// <c>Rtp:PortMin</c>..<c>Rtp:PortMax</c>, round-robin so a just-freed port is not reused at once
/// (late packets of the old call would land in the new one).
/// </summary>
public sealed class RtpPortAllocator
{
    private readonly object _gate = new();
    private readonly HashSet<int> _inUse = [];
    private readonly int _first;
    private readonly int _pairs;
    private int _next;

    public RtpPortAllocator(RtpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _first = options.PortMin + (options.PortMin % 2);
        _pairs = Math.Max(0, (options.PortMax - _first + 1) / 2);
    }

    public int Capacity => _pairs;

    public int InUse
    {
        get
        {
            lock (_gate)
            {
                return _inUse.Count;
            }
        }
    }

    /// <summary>A free even port, or null when every pair is taken.</summary>
    public int? Allocate(Func<int, bool> tryBind)
    {
        ArgumentNullException.ThrowIfNull(tryBind);
        lock (_gate)
        {
            for (var attempt = 0; attempt < _pairs; attempt++)
            {
                var port = _first + (2 * _next);
                _next = (_next + 1) % _pairs;
                if (_inUse.Contains(port))
                {
                    continue;
                }

                // Another program may hold the port; skip it rather than fail the call.
                if (tryBind(port))
                {
                    _inUse.Add(port);
                    return port;
                }
            }

            return null;
        }
    }

    public void Release(int port)
    {
        lock (_gate)
        {
            _inUse.Remove(port);
        }
    }
}
