using CallCenter.Telephony.Media;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// The relay buffers' counters over all bridged calls that have ended (for /health and the
/// bridged-call benchmark): audio in and out, samples lost, and ticks that found it dry. While the
/// relay sends packets on as they arrive (RtpSession.RelayTo) the buffer feeds only the recording,
/// so its losses are the recording's, not the conversation's; the packets sent at once are counted
/// by RtpCounters.Relayed.
/// </summary>
internal sealed class RelayTotals
{
    private long _bridges;
    private long _samplesIn;
    private long _samplesOut;
    private long _samplesDropped;
    private long _samplesCut;
    private long _underruns;

    public long Bridges => Interlocked.Read(ref _bridges);

    public long SamplesIn => Interlocked.Read(ref _samplesIn);

    public long SamplesOut => Interlocked.Read(ref _samplesOut);

    /// <summary>Samples lost inside the relay's buffers (overflowed, or cut by playout): 0 when nothing is lost.</summary>
    public long SamplesDropped => Interlocked.Read(ref _samplesDropped);

    /// <summary>Of <see cref="SamplesDropped"/>, those cut from a playout backlog (LiveAudio.MaxBacklogSamples).</summary>
    public long SamplesCut => Interlocked.Read(ref _samplesCut);

    public long Underruns => Interlocked.Read(ref _underruns);

    public void Add(LiveAudio direction)
    {
        ArgumentNullException.ThrowIfNull(direction);
        Interlocked.Add(ref _samplesIn, direction.SamplesIn);
        Interlocked.Add(ref _samplesOut, direction.SamplesOut);
        Interlocked.Add(ref _samplesDropped, direction.SamplesDropped);
        Interlocked.Add(ref _samplesCut, direction.SamplesCut);
        Interlocked.Add(ref _underruns, direction.Underruns);
    }

    public void CountBridge() => Interlocked.Increment(ref _bridges);
}
