namespace CallCenter.Telephony.Dtmf;

/// <summary>
/// Turns the RFC 4733 telephone-event packets of one RTP stream into digits, each reported once.
/// </summary>
/// <remarks>
/// <para>Policy: a digit is reported on the first packet of a new event that arrives (whether it
/// is the marker packet, an update or an end packet), not on its end. Barge-in wants the digit as
/// soon as the caller presses it, and the sender has already decided the tone is a digit, so no
/// minimum duration is applied. The price is that a digit is reported even if its end never comes.</para>
/// <para>An event is identified by its RTP timestamp (RFC 4733 2.5.1.1): all its updates and its
/// (usually three, RFC 4733 2.5.1.4) end packets carry the start timestamp, so a packet with the
/// current timestamp never reports again. A packet with another timestamp is a new event only if
/// its sequence number is newer than every one seen (RFC 3550 A.1 ordering); an older one is a late
/// or retransmitted packet of an earlier event and is ignored. A sequence number further back than
/// RFC 3550's MAX_MISORDER (100) is taken as a restarted stream, and so as new. An event without an
/// end (a lost end, or a key held) blocks nothing: the next timestamp is the next event.</para>
/// <para>A held key longer than the 16-bit duration is sent in segments with new timestamps
/// (RFC 4733 2.5.1.3); a packet without the marker bit, for the same digit, while the current event
/// has not ended, starting where the current one has got to, continues it and is not reported.</para>
/// <para>Call <see cref="Reset"/> when the stream's SSRC changes. Not thread safe: one per stream,
/// fed from the stream's receive loop. Allocates nothing.</para>
/// </remarks>
public sealed class DtmfEventReceiver
{
    private const int MaxMisorder = 100;

    private readonly uint _continuationSlack;
    private bool _hasEvent;
    private uint _timestamp;
    private byte _eventCode;
    private bool _ended;
    private uint _duration;
    private ushort _highestSequence;

    /// <param name="clockRate">The telephone-event clock rate from the SDP rtpmap (8000 normally).</param>
    public DtmfEventReceiver(int clockRate = 8000)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clockRate);

        // Half a second of lost updates still counts as the same held key.
        _continuationSlack = (uint)clockRate / 2;
    }

    /// <summary>True while an event has started and its end has not been seen.</summary>
    public bool InEvent => _hasEvent && !_ended;

    /// <summary>Handles one telephone-event packet; returns its digit if it starts a new DTMF event.</summary>
    /// <param name="timestamp">The RTP timestamp (the event's start).</param>
    /// <param name="marker">The RTP marker bit (set on an event's first packet, RFC 4733 2.5.1.2).</param>
    /// <param name="sequenceNumber">The RTP sequence number.</param>
    /// <param name="payload">The RTP payload; shorter than 4 bytes is ignored.</param>
    public char? Handle(uint timestamp, bool marker, ushort sequenceNumber, ReadOnlySpan<byte> payload)
    {
        if (!TelephoneEvent.TryParse(payload, out var received) || received.Digit is not { } digit)
        {
            return null;
        }

        if (_hasEvent && timestamp == _timestamp)
        {
            if ((short)(sequenceNumber - _highestSequence) > 0)
            {
                _highestSequence = sequenceNumber;
            }

            _ended |= received.End;
            _duration = Math.Max(_duration, received.Duration);
            return null;
        }

        if (_hasEvent)
        {
            var delta = (short)(sequenceNumber - _highestSequence);
            if (delta <= 0 && delta >= -MaxMisorder)
            {
                return null;
            }
        }

        var continuation = _hasEvent
            && !_ended
            && !marker
            && received.EventCode == _eventCode
            && timestamp - _timestamp <= _duration + _continuationSlack;

        _hasEvent = true;
        _timestamp = timestamp;
        _eventCode = received.EventCode;
        _ended = received.End;
        _duration = received.Duration;
        _highestSequence = sequenceNumber;
        return continuation ? null : digit;
    }

    /// <summary>Forgets the stream, for a new SSRC.</summary>
    public void Reset()
    {
        _hasEvent = false;
        _ended = false;
        _duration = 0;
    }
}
