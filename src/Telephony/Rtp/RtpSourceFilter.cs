namespace CallCenter.Telephony.Rtp;

/// <summary>What <see cref="RtpSourceFilter.Check"/> decided about one RTP packet.</summary>
public enum RtpSourceVerdict
{
    /// <summary>From the session's source: handle it.</summary>
    Accepted,

    /// <summary>The session's source from now on (the negotiated one sending, or a NAT'd one after probation): handle it and answer there.</summary>
    Locked,

    /// <summary>A possible NAT'd source still on probation: dropped until it has proved itself.</summary>
    Probation,

    /// <summary>From anyone else: dropped and counted.</summary>
    Foreign,
}

/// <summary>
/// Strict symmetric RTP for one session, the decision alone (no sockets, no clock): media is
/// accepted only from the address the peer's SDP negotiated, or, where its first packets come from
/// elsewhere (a NAT rewrote them), from that one other source, learned once. Without this the first
/// host to send to a leg's port became its destination: a sweep of the port range heard the client
/// and injected audio into the call and its recording (issue 12).
/// <list type="bullet">
/// <item>A packet from the negotiated address and port locks the session on it at once (rtpengine's
/// heuristic learning prefers the SDP address the same way).</item>
/// <item>Another source is learned only within <see cref="DefaultLearningWindow"/> of the start or of
/// a new SDP, and only after <see cref="DefaultLearnPackets"/> packets in a row from it with
/// consecutive sequence numbers (the probation of RFC 3550 A.1, as Asterisk's strictrtp learns):
/// a sweep's stray packets, or two senders interleaved, never add up to a run.</item>
/// <item>Once locked, no other source is ever taken, however long the locked one is quiet (a phone
/// on hold with "inactive" sends nothing, and that must not hand the call to whoever sends next);
/// only <see cref="Reset"/>, for a new SDP from the peer, starts over.</item>
/// </list>
/// Not thread-safe: the session serializes calls. Allocation-free; it runs for every packet.
/// </summary>
public sealed class RtpSourceFilter
{
    /// <summary>Packets in a row, with consecutive sequence numbers, that make a NAT'd source (Asterisk's learning_min_sequential).</summary>
    public const int DefaultLearnPackets = 4;

    /// <summary>How long after the start or a new SDP a NAT'd source may be learned (Asterisk's learning_min_duration).</summary>
    public static readonly TimeSpan DefaultLearningWindow = TimeSpan.FromSeconds(5);

    private readonly int _learnPackets;
    private readonly long _windowTicks;
    private RtpSource _negotiated;
    private RtpSource _locked;
    private RtpSource _candidate;
    private ushort _candidateSequence;
    private int _candidateRun;
    private long _learningEnds;

    /// <param name="timestampFrequency">Ticks per second of the timestamps passed as <c>now</c> (<see cref="TimeProvider.TimestampFrequency"/>).</param>
    /// <param name="learnPackets">Consecutive packets that make a NAT'd source, at least 2.</param>
    /// <param name="learningWindow">How long a NAT'd source may be learned after <see cref="Reset"/>.</param>
    public RtpSourceFilter(long timestampFrequency, int learnPackets = DefaultLearnPackets, TimeSpan? learningWindow = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timestampFrequency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(learnPackets, 2);
        var window = learningWindow ?? DefaultLearningWindow;
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.Zero);
        _learnPackets = learnPackets;
        _windowTicks = (long)(window.TotalSeconds * timestampFrequency);
    }

    /// <summary>The address and port of the peer's SDP (none for an outgoing leg before the answer).</summary>
    public RtpSource Negotiated => _negotiated;

    /// <summary>The one source accepted from now on; none while learning.</summary>
    public RtpSource Locked => _locked;

    /// <summary>
    /// Starts over for the SDP's <paramref name="negotiated"/> address: at the session's start and
    /// when the peer's new offer or answer moves its media (RFC 3264 8.3.1), which only the peer's
    /// signalling can do. A NAT'd source may be learned again for a window from <paramref name="now"/>.
    /// </summary>
    public void Reset(RtpSource negotiated, long now)
    {
        _negotiated = negotiated;
        _locked = default;
        _candidate = default;
        _candidateRun = 0;
        _learningEnds = now + _windowTicks;
    }

    /// <summary>Decides about one parsed RTP packet from <paramref name="source"/> with <paramref name="sequence"/>, at <paramref name="now"/>.</summary>
    public RtpSourceVerdict Check(RtpSource source, ushort sequence, long now)
    {
        if (!_locked.IsNone)
        {
            return source == _locked ? RtpSourceVerdict.Accepted : RtpSourceVerdict.Foreign;
        }

        if (!_negotiated.IsNone && source == _negotiated)
        {
            _locked = source;
            return RtpSourceVerdict.Locked;
        }

        if (now >= _learningEnds)
        {
            // Learning is over and the negotiated address never sent: it alone stays acceptable.
            return RtpSourceVerdict.Foreign;
        }

        if (_candidateRun > 0 && source == _candidate && sequence == unchecked((ushort)(_candidateSequence + 1)))
        {
            _candidateSequence = sequence;
            if (++_candidateRun >= _learnPackets)
            {
                _locked = source;
                return RtpSourceVerdict.Locked;
            }

            return RtpSourceVerdict.Probation;
        }

        // A new candidate, or the run broke (another sender in between, a gap): start counting again.
        _candidate = source;
        _candidateSequence = sequence;
        _candidateRun = 1;
        return RtpSourceVerdict.Probation;
    }

    /// <summary>
    /// Whether an RTCP packet from <paramref name="source"/> is the peer's: from the locked source's
    /// host (the negotiated one's before anything is locked). Only the address is compared, because
    /// a NAT maps the RTCP port on its own (RFC 3605 explains why the port cannot be derived); RTCP
    /// here feeds reception statistics and never decides where media goes.
    /// </summary>
    public bool CheckControl(RtpSource source)
    {
        var expected = _locked.IsNone ? _negotiated : _locked;
        return !expected.IsNone && source.SameAddress(expected);
    }
}
