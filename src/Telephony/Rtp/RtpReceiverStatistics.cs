namespace CallCenter.Telephony.Rtp;

/// <summary>
/// Reception statistics for one source, as RFC 3550 appendix A keeps them: sequence validation
/// with probation and wrap-around (A.1), expected and lost counts for reception reports (A.3),
/// interarrival jitter (A.8), and LSR/DLSR from the source's last SR (6.4.1). Updating allocates
/// nothing. Not thread-safe: the session's receive loop and its RTCP timer must take turns.
/// </summary>
public sealed class RtpReceiverStatistics
{
    /// <summary>Packets in sequence before a new source is believed (A.1).</summary>
    public const int MinSequential = 2;

    /// <summary>A forward jump smaller than this is loss, not a restart (A.1).</summary>
    public const int MaxDropout = 3000;

    /// <summary>A backward step within this is a late or duplicate packet (A.1).</summary>
    public const int MaxMisorder = 100;

    private const int SequenceModulo = 1 << 16;

    private readonly TimeProvider _time;
    private bool _started;
    private int _probation;
    private ushort _maxSequence;
    private uint _cycles;
    private uint _baseSequence;
    private uint _badSequence;
    private uint _received;
    private uint _expectedPrior;
    private uint _receivedPrior;
    private bool _hasTransit;
    private int _transit;
    private double _jitter;
    private uint _lastSenderReport;
    private long _lastSenderReportArrival;

    public RtpReceiverStatistics(uint ssrc, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        Ssrc = ssrc;
        _time = time;
    }

    public uint Ssrc { get; }

    /// <summary>The source has passed probation (A.1) and reports can be made about it.</summary>
    public bool IsValid => _started && _probation == 0;

    /// <summary>Packets counted since the source became valid (or last re-synchronised); duplicates count (A.3).</summary>
    public long PacketsReceived => _received;

    /// <summary>The highest sequence number seen, with the wrap-around count in the high 16 bits (6.4.1).</summary>
    public uint ExtendedHighestSequence => unchecked(_cycles + _maxSequence);

    /// <summary>Packets expected from the base sequence number to the highest seen (A.3).</summary>
    public long PacketsExpected => IsValid ? (long)ExtendedHighestSequence - _baseSequence + 1 : 0;

    /// <summary>Expected minus received, negative with duplicates (A.3); not clamped.</summary>
    public long CumulativeLost => PacketsExpected - _received;

    /// <summary>Interarrival jitter in timestamp units, rounded (A.8).</summary>
    public uint Jitter => (uint)Math.Round(_jitter);

    /// <summary>
    /// Counts one packet. <paramref name="arrival"/> is the arrival time in the stream's timestamp
    /// units (any origin, see <see cref="ToTimestampUnits"/>). Returns false for packets that do not
    /// count yet: a new source on probation, or the first packet after a large jump (A.1).
    /// </summary>
    public bool Update(ushort sequence, uint timestamp, uint arrival)
    {
        if (!_started)
        {
            // A.1: a new source starts on probation; max_seq = seq - 1 so this packet counts towards it.
            _started = true;
            InitSequence(sequence);
            _maxSequence = unchecked((ushort)(sequence - 1));
            _probation = MinSequential;
        }

        if (!UpdateSequence(sequence))
        {
            return false;
        }

        UpdateJitter(timestamp, arrival);
        return true;
    }

    public bool Update(RtpPacket packet, uint arrival) => Update(packet.SequenceNumber, packet.Timestamp, arrival);

    /// <summary>Remembers an SR from this source, for LSR and DLSR in our next report (RFC 3550 6.4.1).</summary>
    public void OnSenderReport(ulong ntpTimestamp)
    {
        _lastSenderReport = NtpTimestamp.Middle32(ntpTimestamp);
        _lastSenderReportArrival = _time.GetTimestamp();
    }

    /// <summary>
    /// The report block for this source, closing the reporting interval (A.3: fraction lost is over
    /// the packets since the previous block). False while the source is not valid.
    /// </summary>
    public bool TryCreateReportBlock(out RtcpReportBlock block)
    {
        if (!IsValid)
        {
            block = default;
            return false;
        }

        var expected = PacketsExpected;
        var lost = Math.Clamp(expected - _received, RtcpReportBlock.MinCumulativeLost, RtcpReportBlock.MaxCumulativeLost);

        // A.3: the interval's counts work modulo 2^32 like the RFC's unsigned arithmetic.
        var expectedNow = unchecked((uint)expected);
        var expectedInterval = unchecked(expectedNow - _expectedPrior);
        _expectedPrior = expectedNow;
        var receivedInterval = unchecked(_received - _receivedPrior);
        _receivedPrior = _received;
        var lostInterval = (long)expectedInterval - receivedInterval;
        var fraction = expectedInterval == 0 || lostInterval <= 0
            ? 0
            : Math.Min(255, (lostInterval << 8) / expectedInterval);

        var delay = _lastSenderReport == 0 ? 0 : NtpTimestamp.ToShortUnits(_time.GetElapsedTime(_lastSenderReportArrival));
        block = new RtcpReportBlock(Ssrc, (byte)fraction, (int)lost, ExtendedHighestSequence, Jitter, _lastSenderReport, delay);
        return true;
    }

    /// <summary>An arrival time in timestamp units for <see cref="Update(ushort, uint, uint)"/>, wrapping like RTP timestamps.</summary>
    public static uint ToTimestampUnits(TimeSpan sinceOrigin, int clockRate) =>
        unchecked((uint)(ulong)((Int128)sinceOrigin.Ticks * clockRate / TimeSpan.TicksPerSecond));

    private void InitSequence(ushort sequence)
    {
        _baseSequence = sequence;
        _maxSequence = sequence;
        _badSequence = SequenceModulo + 1;
        _cycles = 0;
        _received = 0;
        _receivedPrior = 0;
        _expectedPrior = 0;

        // A restarted source's timestamps start afresh too; one transit across the restart would be noise.
        _hasTransit = false;
    }

    /// <summary>RFC 3550 A.1 update_seq.</summary>
    private bool UpdateSequence(ushort sequence)
    {
        var delta = unchecked((ushort)(sequence - _maxSequence));
        if (_probation > 0)
        {
            if (sequence == unchecked((ushort)(_maxSequence + 1)))
            {
                _probation--;
                _maxSequence = sequence;
                if (_probation == 0)
                {
                    InitSequence(sequence);
                    _received++;
                    return true;
                }
            }
            else
            {
                _probation = MinSequential - 1;
                _maxSequence = sequence;
            }

            return false;
        }

        if (delta < MaxDropout)
        {
            if (sequence < _maxSequence)
            {
                // Wrapped: count another cycle.
                _cycles += SequenceModulo;
            }

            _maxSequence = sequence;
        }
        else if (delta <= SequenceModulo - MaxMisorder)
        {
            if (sequence != _badSequence)
            {
                // A very large jump: remember it and wait for the next packet to confirm a restart.
                _badSequence = (uint)((sequence + 1) & (SequenceModulo - 1));
                return false;
            }

            // Two sequential packets after the jump: the other side restarted without telling us.
            InitSequence(sequence);
        }

        // Otherwise a duplicate or a packet out of order: counted, max_seq unchanged.
        _received++;
        return true;
    }

    /// <summary>RFC 3550 A.8: J += (|D| - J) / 16, with D the change in transit time.</summary>
    private void UpdateJitter(uint timestamp, uint arrival)
    {
        var transit = unchecked((int)(arrival - timestamp));
        if (_hasTransit)
        {
            var d = Math.Abs((long)unchecked(transit - _transit));
            _jitter += (d - _jitter) / 16;
        }

        _transit = transit;
        _hasTransit = true;
    }
}
