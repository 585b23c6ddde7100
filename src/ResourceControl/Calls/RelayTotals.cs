using CallCenter.Telephony.Media;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// The relay's counters over all bridged calls that have ended (for /health and the bridged-call
/// benchmark): audio in and out of the relay, samples lost inside it, and ticks that found it dry.
/// </summary>
internal sealed class RelayTotals
{
    private long _bridges;
    private long _samplesIn;
    private long _samplesOut;
    private long _samplesDropped;
    private long _underruns;

    public long Bridges => Interlocked.Read(ref _bridges);

    public long SamplesIn => Interlocked.Read(ref _samplesIn);

    public long SamplesOut => Interlocked.Read(ref _samplesOut);

    /// <summary>Samples lost inside the relay (its buffer overflowed): 0 when the relay loses nothing.</summary>
    public long SamplesDropped => Interlocked.Read(ref _samplesDropped);

    public long Underruns => Interlocked.Read(ref _underruns);

    public void Add(LiveAudio direction)
    {
        ArgumentNullException.ThrowIfNull(direction);
        Interlocked.Add(ref _samplesIn, direction.SamplesIn);
        Interlocked.Add(ref _samplesOut, direction.SamplesOut);
        Interlocked.Add(ref _samplesDropped, direction.SamplesDropped);
        Interlocked.Add(ref _underruns, direction.Underruns);
    }

    public void CountBridge() => Interlocked.Increment(ref _bridges);
}
