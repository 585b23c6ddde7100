namespace CallCenter.Telephony.Rtp;

/// <summary>Packet totals over every session of the process, for /health and the benchmarks.</summary>
public sealed class RtpCounters
{
    private long _sent;
    private long _received;
    private long _dropped;
    private long _digits;
    private long _relayed;
    private long _sendFailed;
    private long _foreignDropped;
    private long _probationDropped;
    private long _sourcesLearned;
    private long _srtpRefused;
    private long _secureSessions;
    private long _webRtcSessions;
    private long _dtlsCompleted;
    private long _dtlsFailed;
    private long _webRtcSrtpFailures;

    public long Sent => Interlocked.Read(ref _sent);

    public long Received => Interlocked.Read(ref _received);

    /// <summary>Malformed or foreign RTP/RTCP datagrams dropped.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public long Digits => Interlocked.Read(ref _digits);

    /// <summary>Bridged audio sent on as it arrived, without waiting for the media clock (also in <see cref="Sent"/>).</summary>
    public long Relayed => Interlocked.Read(ref _relayed);

    internal void CountSent() => Interlocked.Increment(ref _sent);

    internal void CountReceived() => Interlocked.Increment(ref _received);

    internal void CountDropped() => Interlocked.Increment(ref _dropped);

    internal void CountDigit() => Interlocked.Increment(ref _digits);

    /// <summary>RTP datagrams a send refused (the socket's buffer full, an ICMP error): not counted in <see cref="Sent"/>.</summary>
    public long SendFailed => Interlocked.Read(ref _sendFailed);

    internal void CountSendFailed() => Interlocked.Increment(ref _sendFailed);

    /// <summary>RTP and RTCP datagrams dropped because they came from neither the negotiated nor the learned source (strict symmetric RTP).</summary>
    public long ForeignDropped => Interlocked.Read(ref _foreignDropped);

    /// <summary>RTP packets from a possible NAT'd source dropped while it was on probation (the first few of a NAT'd call).</summary>
    public long ProbationDropped => Interlocked.Read(ref _probationDropped);

    /// <summary>Sessions that learned a source other than their SDP's (a NAT rewrote the peer's address or port).</summary>
    public long SourcesLearned => Interlocked.Read(ref _sourcesLearned);

    internal void CountForeignDropped() => Interlocked.Increment(ref _foreignDropped);

    internal void CountProbationDropped() => Interlocked.Increment(ref _probationDropped);

    internal void CountSourceLearned() => Interlocked.Increment(ref _sourcesLearned);

    /// <summary>SRTP and SRTCP packets refused on a secure session: not authentic (a wrong tag, plain RTP, another key), a replay, or before the keys were known.</summary>
    public long SrtpRefused => Interlocked.Read(ref _srtpRefused);

    /// <summary>Sessions opened with SRTP keys (RFC 4568 SDES over SIP over TLS).</summary>
    public long SecureSessions => Interlocked.Read(ref _secureSessions);

    internal void CountSrtpRefused() => Interlocked.Increment(ref _srtpRefused);

    internal void CountSecureSession() => Interlocked.Increment(ref _secureSessions);

    /// <summary>Sessions opened for a browser (WebRTC: ICE-lite, DTLS-SRTP).</summary>
    public long WebRtcSessions => Interlocked.Read(ref _webRtcSessions);

    /// <summary>Browser sessions whose DTLS-SRTP handshake gave keys.</summary>
    public long DtlsHandshakesCompleted => Interlocked.Read(ref _dtlsCompleted);

    /// <summary>Browser sessions whose DTLS-SRTP handshake failed (timed out, a wrong certificate, no use_srtp): each ended its leg.</summary>
    public long DtlsHandshakesFailed => Interlocked.Read(ref _dtlsFailed);

    /// <summary>Browser sessions ended because the browser's SRTP kept failing authentication.</summary>
    public long WebRtcSrtpFailures => Interlocked.Read(ref _webRtcSrtpFailures);

    internal void CountWebRtcSession() => Interlocked.Increment(ref _webRtcSessions);

    internal void CountDtlsCompleted() => Interlocked.Increment(ref _dtlsCompleted);

    internal void CountDtlsFailed() => Interlocked.Increment(ref _dtlsFailed);

    internal void CountWebRtcSrtpFailure() => Interlocked.Increment(ref _webRtcSrtpFailures);

    internal void CountRelayed()
    {
        Interlocked.Increment(ref _relayed);
        Interlocked.Increment(ref _sent);
    }
}
