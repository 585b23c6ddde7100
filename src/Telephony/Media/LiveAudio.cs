using CallCenter.Telephony.Codecs;

namespace CallCenter.Telephony.Media;

/// <summary>
/// A one-way audio path from one call leg's receiver to another leg's player: the relay of a
/// bridged call. The receiving leg writes what arrives (any G.711 law, any packet size); the
/// sending leg's clock tick reads 20 ms frames, re-encoded in its own law. A small buffer absorbs
/// arrival jitter: after running dry it waits for <see cref="PrefillSamples"/> before playing
/// again, and when the writer runs ahead by more than <see cref="CapacitySamples"/> (a faster clock
/// at the far end) the oldest samples are dropped and counted.
/// </summary>
public sealed class LiveAudio
{
    /// <summary>
    /// 1 s at 8 kHz: room for a scheduling stall or a sender's burst. For playout the backlog is cut
    /// at <see cref="MaxBacklogSamples"/>; while the other leg sends the packets on as they arrive
    /// this buffer only feeds the recording, whose reader keeps the backlog (a late burst is
    /// recorded, not cut). It only fills when the reader falls behind.
    /// </summary>
    public const int CapacitySamples = 8000;

    /// <summary>40 ms: two frames buffered before playing after a gap.</summary>
    public const int PrefillSamples = 320;

    /// <summary>
    /// 200 ms: a backlog beyond this (the reader's clock skipped ticks, or the far end sent a long
    /// burst) is cut back to the prefill at once, so a stall costs one counted loss instead of
    /// delaying the rest of the conversation.
    /// </summary>
    public const int MaxBacklogSamples = 1600;

    private readonly Lock _gate = new();
    // Codes as received, in the writer's law: with the same law on both legs (the usual case, since
    // our offer to the agent puts the caller's codec first) audio is copied, never transcoded.
    private readonly byte[] _ring = new byte[CapacitySamples];
    private G711Law _law;
    private int _head;
    private int _count;
    private bool _playing;
    private long _samplesIn;
    private long _samplesOut;
    private long _samplesDropped;
    private long _samplesCut;
    private long _underruns;

    /// <summary>Samples written by the receiving leg.</summary>
    public long SamplesIn => Interlocked.Read(ref _samplesIn);

    /// <summary>Samples played out by the sending leg.</summary>
    public long SamplesOut => Interlocked.Read(ref _samplesOut);

    /// <summary>Samples dropped because the buffer was full (loss inside the relay).</summary>
    public long SamplesDropped => Interlocked.Read(ref _samplesDropped);

    /// <summary>Of <see cref="SamplesDropped"/>, those a playout reader cut from a backlog over <see cref="MaxBacklogSamples"/> (the rest overflowed a full buffer).</summary>
    public long SamplesCut => Interlocked.Read(ref _samplesCut);

    /// <summary>Ticks that found too little audio (the far end was late or silent).</summary>
    public long Underruns => Interlocked.Read(ref _underruns);

    /// <summary>Appends a received payload. Runs on the receiving leg's loop; allocates nothing.</summary>
    public void Write(ReadOnlySpan<byte> payload, G711Law law)
    {
        lock (_gate)
        {
            _samplesIn += payload.Length;
            if (_count == 0)
            {
                _law = law;
            }

            if (payload.Length > CapacitySamples)
            {
                _samplesDropped += payload.Length - CapacitySamples;
                payload = payload[^CapacitySamples..];
            }

            var overflow = _count + payload.Length - CapacitySamples;
            if (overflow > 0)
            {
                _head = (_head + overflow) % CapacitySamples;
                _count -= overflow;
                _samplesDropped += overflow;
            }

            var tail = (_head + _count) % CapacitySamples;
            var first = Math.Min(payload.Length, CapacitySamples - tail);
            Store(payload[..first], law, _ring.AsSpan(tail));
            Store(payload[first..], law, _ring);
            _count += payload.Length;
        }
    }

    /// <summary>Copies codes into the ring in its law (a copy when the laws agree).</summary>
    private void Store(ReadOnlySpan<byte> codes, G711Law law, Span<byte> into)
    {
        if (law == _law)
        {
            codes.CopyTo(into);
            return;
        }

        for (var i = 0; i < codes.Length; i++)
        {
            into[i] = G711.FromLinear(G711.ToLinear(codes[i], law), _law);
        }
    }

    /// <summary>
    /// Fills <paramref name="payload"/> with the next frame in <paramref name="law"/>; false (and
    /// nothing written) while the buffer is filling after a gap. Runs on the media clock's thread.
    /// <paramref name="keepBacklog"/>: the reader records rather than plays (the audio has gone
    /// out already), so a backlog is worked off instead of cut.
    /// </summary>
    public bool TryRead(Span<byte> payload, G711Law law, bool keepBacklog = false)
    {
        lock (_gate)
        {
            if (!_playing && _count >= Math.Max(PrefillSamples, payload.Length))
            {
                _playing = true;
            }

            if (_count > MaxBacklogSamples && !keepBacklog)
            {
                var excess = _count - PrefillSamples;
                _head = (_head + excess) % CapacitySamples;
                _count -= excess;
                _samplesDropped += excess;
                _samplesCut += excess;
            }

            if (!_playing || _count < payload.Length)
            {
                if (_playing)
                {
                    _underruns++;
                    _playing = false;
                }

                return false;
            }

            var first = Math.Min(payload.Length, CapacitySamples - _head);
            _ring.AsSpan(_head, first).CopyTo(payload);
            _ring.AsSpan(0, payload.Length - first).CopyTo(payload[first..]);
            if (law != _law)
            {
                for (var i = 0; i < payload.Length; i++)
                {
                    payload[i] = G711.FromLinear(G711.ToLinear(payload[i], _law), law);
                }
            }

            _head = (_head + payload.Length) % CapacitySamples;
            _count -= payload.Length;
            _samplesOut += payload.Length;
            return true;
        }
    }
}
