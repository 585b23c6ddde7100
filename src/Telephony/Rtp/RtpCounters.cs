namespace CallCenter.Telephony.Rtp;

/// <summary>Packet totals over every session of the process, for /health and the benchmarks.</summary>
public sealed class RtpCounters
{
    private long _sent;
    private long _received;
    private long _dropped;
    private long _digits;

    public long Sent => Interlocked.Read(ref _sent);

    public long Received => Interlocked.Read(ref _received);

    /// <summary>Malformed or foreign RTP/RTCP datagrams dropped.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public long Digits => Interlocked.Read(ref _digits);

    internal void CountSent() => Interlocked.Increment(ref _sent);

    internal void CountReceived() => Interlocked.Increment(ref _received);

    internal void CountDropped() => Interlocked.Increment(ref _dropped);

    internal void CountDigit() => Interlocked.Increment(ref _digits);
}
