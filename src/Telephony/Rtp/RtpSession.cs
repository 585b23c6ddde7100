using System.Net;
using System.Net.Sockets;
using CallCenter.Telephony.Codecs;
using CallCenter.Telephony.Dtmf;
using CallCenter.Telephony.Media;
using CallCenter.Telephony.Rtp.Srtp;
using CallCenter.Telephony.Tones;
using CallCenter.Telephony.WebRtc;

namespace CallCenter.Telephony.Rtp;

/// <summary>
/// One call leg's media (RFC 3550): RTP on an even port and RTCP on the odd one above it, 20 ms
/// G.711 frames paced by the shared <see cref="MediaClock"/> from a <see cref="MediaPlayer"/>,
/// strict symmetric RTP (media only from the SDP's address or the one NAT'd source learned at the
/// start, and we send there: <see cref="RtpSourceFilter"/>), receive statistics, and DTMF from
/// RFC 4733 events or in-band tones. Malformed or foreign packets are dropped and counted.
/// </summary>
public sealed partial class RtpSession : IMediaClockTarget, IRtpReadable, IAsyncDisposable
{
    private const int SamplesPerFrame = 160; // 20 ms at 8 kHz
    private const int FrameBytes = RtpPacket.FixedHeaderLength + SamplesPerFrame;
    private const int MaxInBandSamples = 480;
    private const int MaxRelayedPayload = 1200; // 150 ms of G.711: larger packets go through the clock

    private readonly RtpSocketPair _sockets;
    private readonly Socket _rtp;
    private readonly Socket _rtcp;
    private readonly RtpPortAllocator _ports;
    private readonly TimeProvider _time;
    private readonly RtpCounters _totals;
    private IRtpSessionEvents? _events;
    private RtpMediaFormat _format;
    private LiveAudio? _forward;
    private LiveAudio? _forwardAlso;
    private LiveAudio? _mixIn;
    private RtpSession? _relayTo;
    private readonly Lock _sendGate = new();
    private byte[]? _relayFrame; // under _sendGate, made at the first relayed packet: an IVR call never relays
    private bool _relaying;
    private uint _relaySsrc;
    private uint _relayOffset;
    private bool _mixInRecorded;
    private IRtpFrameTap? _tap;
    private IRtpReceiveTap? _receiveTap;
    private readonly byte[] _frame = new byte[FrameBytes + SrtpContext.TagLength];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _receivingRtp;
    private readonly SocketAddress _receivedFrom;
    private readonly char[] _digitBuffer = new char[8];
    private readonly Task _receivingRtcp;
    private readonly DtmfEventReceiver _dtmfEvents = new();
    private readonly DtmfToneDetector _dtmfTones = new();
    private CngToneDetector? _faxTone;
    private readonly RtpSenderStatistics _sent = new();
    private readonly object _receiveGate = new();

    // The source check runs on the receive thread, RTCP's and the call's (a new SDP): one small lock.
    private readonly Lock _sourceGate = new();
    private readonly RtpSourceFilter _sources;
    private RtpReceiverStatistics? _received;
    private IPEndPoint _remote;

    // _remote and its RTCP address serialized once per change: sending to a SocketAddress allocates
    // nothing per packet or report.
    private SocketAddress _remoteAddress;
    private SocketAddress _remoteRtcp;
    private ushort _sequence;
    private uint _timestamp;
    private long _packetsReceived;
    private long _packetsDropped;
    private long _foreignDropped;
    private long _digits;
    private int _disposed;

    private RtpSession(RtpSocketPair sockets, RtpPortAllocator ports, IPEndPoint remote, RtpMediaFormat format, RtpCounters totals, TimeProvider time, SrtpMaster? send, SrtpMaster? receive, DtlsIdentity? webRtc = null)
    {
        _totals = totals;
        if (send is not null)
        {
            // Before the first receive below: a secure session never takes a plain packet.
            var keys = send.Derive();
            SendMaster = send;
            _sendSrtp = new SrtpContext(keys);
            _sendSrtcp = new SrtcpContext(keys);
            _receiveKeys = receive is null ? null : new ReceiveKeys(receive);
            totals.CountSecureSession();
        }

        _sockets = sockets;
        _rtp = sockets.Rtp;
        _rtcp = sockets.Rtcp;
        if (webRtc is not null)
        {
            // Before the first receive below: a browser's session takes nothing plain, ever.
            WebRtc = new WebRtcTransport(IceCredentials.Create(), webRtc, (datagram, to) => TrySend(_rtp, datagram, to));
            totals.CountWebRtcSession();
        }

        _ports = ports;
        _remote = remote;
        _remoteAddress = remote.Serialize();
        _remoteRtcp = new IPEndPoint(remote.Address, remote.Port + 1).Serialize();
        _time = time;
        _format = format;
        _sources = new RtpSourceFilter(time.TimestampFrequency);
        _sources.Reset(RtpSource.From(remote), time.GetTimestamp());
        LocalPort = sockets.Port;

        // RFC 3550 5.1: random initial sequence number, timestamp and SSRC, drawn at once.
        Span<byte> random = stackalloc byte[10];
        RandomBytes.Fill(random);
        _sequence = (ushort)(BitConverter.ToUInt16(random) % ushort.MaxValue);
        _timestamp = BitConverter.ToUInt32(random[2..]) & int.MaxValue;
        Ssrc = BitConverter.ToUInt32(random[6..]) & int.MaxValue;
        _receivedFrom = AnyEndPoint(_rtp).Serialize();
        _nextReport = NextReportTick(0, initial: true);
        var loop = RtpReceiveLoop.Shared;
        if (loop is null)
        {
            _receivingRtcp = ReceiveRtcpAsync(_stopping.Token);
            _receivingRtp = ReceiveRtpAsync(_stopping.Token);
        }
        else
        {
            // Both ports on the shared loop: no pending receive per session, and none to cancel
            // (with the exception that costs) at every hang-up.
            _receivingRtcp = Task.CompletedTask;
            _receivingRtp = Task.CompletedTask;
            // The pair's readers on the loop hold this session and its RTCP port until Detach.
            sockets.Attach(loop, this, new RtcpPort(this));
        }
    }

    public int LocalPort { get; }

    /// <summary>For the logs: which session, by its local RTP port.</summary>
    public override string ToString() => $"the RTP session on port {LocalPort}";

    public uint Ssrc { get; }

    /// <summary>The negotiated payload types and law; <see cref="ChangeFormat"/> when an answer picks another.</summary>
    public RtpMediaFormat Format
    {
        get => Volatile.Read(ref _format);
        private set => Volatile.Write(ref _format, value);
    }

    /// <summary>The peer's answer chose another codec than we opened with (an outgoing call's offer listed several).</summary>
    public void ChangeFormat(RtpMediaFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        Format = format;
    }

    /// <summary>Who hears about digits and finished prompts (the call's IVR, later the agent bridge).</summary>
    public IRtpSessionEvents? Events
    {
        get => Volatile.Read(ref _events);
        set => Volatile.Write(ref _events, value);
    }

    /// <summary>
    /// While true, the audio received while not bridged is also searched for a calling fax's CNG tone
    /// (<see cref="CngToneDetector"/>); once heard, <see cref="IRtpSessionEvents.OnFaxTone"/> is told
    /// once. Set by the call (a hotline's IVR); turning it on again starts a fresh search.
    /// </summary>
    public bool DetectFaxTone
    {
        get => Volatile.Read(ref _faxTone) is not null;
        set => Volatile.Write(ref _faxTone, value ? new CngToneDetector() : null);
    }

    /// <summary>What this leg plays: prompts, music on hold, or silence.</summary>
    public MediaPlayer Player { get; } = new();

    /// <summary>
    /// Where received audio goes in a bridged call: the other leg's <see cref="LiveAudio"/>, which
    /// its player sends on. Null (the default) keeps audio here, for in-band DTMF detection.
    /// </summary>
    public LiveAudio? Forward
    {
        get => Volatile.Read(ref _forward);
        set => Volatile.Write(ref _forward, value);
    }

    /// <summary>
    /// A second listener of received audio while bridged (a supervisor monitoring the call, or the
    /// second party a barging supervisor talks to); only used when <see cref="Forward"/> is set.
    /// </summary>
    public LiveAudio? ForwardAlso
    {
        get => Volatile.Read(ref _forwardAlso);
        set => Volatile.Write(ref _forwardAlso, value);
    }

    /// <summary>
    /// The other leg of a bridge: what this leg receives, that leg sends on at once, on the same
    /// receiving thread, whenever it plays nothing but this leg's audio (not on hold, no prompt, no
    /// supervisor mixed in, same G.711 law; see <see cref="SendsAtOnce"/>). Its clock tick still
    /// reads the relay buffer for the recording but sends nothing then. Null: every frame goes by
    /// the clock.
    /// </summary>
    public RtpSession? RelayTo
    {
        get => Volatile.Read(ref _relayTo);
        set => Volatile.Write(ref _relayTo, value);
    }

    /// <summary>
    /// Two legs hear each other: each one's received audio is the other's live source, and is sent
    /// on by the other leg as it arrives while nothing else plays there. Returns (a to b, b to a).
    /// </summary>
    public static (LiveAudio AToB, LiveAudio BToA) Join(RtpSession a, RtpSession b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var aToB = new LiveAudio();
        var bToA = new LiveAudio();
        a.Forward = aToB;
        b.Player.SetLive(aToB);
        b.Forward = bToA;
        a.Player.SetLive(bToA);
        a.RelayTo = b;
        b.RelayTo = a;
        return (aToB, bToA);
    }

    /// <summary>A second source mixed into what this leg sends (a supervisor's voice), or null.</summary>
    public LiveAudio? MixIn => Volatile.Read(ref _mixIn);

    /// <summary>
    /// Mixes <paramref name="source"/> into every frame this leg sends (null: none). When
    /// <paramref name="recorded"/> the <see cref="Tap"/> sees the mixed frame, otherwise the frame
    /// before the mix (so a whisper to the agent stays out of the caller's recording channel).
    /// </summary>
    public void SetMixIn(LiveAudio? source, bool recorded)
    {
        Volatile.Write(ref _mixInRecorded, recorded);
        Volatile.Write(ref _mixIn, source);
    }

    /// <summary>Sees every frame this leg produces on the clock (a call recording).</summary>
    public IRtpFrameTap? Tap
    {
        get => Volatile.Read(ref _tap);
        set => Volatile.Write(ref _tap, value);
    }

    /// <summary>Sees the audio received while the leg is not bridged (a recording from the answer), or null.</summary>
    public IRtpReceiveTap? ReceiveTap
    {
        get => Volatile.Read(ref _receiveTap);
        set => Volatile.Write(ref _receiveTap, value);
    }

    /// <summary>Where media goes: the SDP's address, or the NAT'd source learned from the peer's first packets (symmetric RTP).</summary>
    public IPEndPoint Remote => Volatile.Read(ref _remote);

    /// <summary>The one source media is accepted from now on; null while the session is still learning.</summary>
    public IPEndPoint? LockedSource
    {
        get
        {
            lock (_sourceGate)
            {
                return _sources.Locked.IsNone ? null : _sources.Locked.ToEndPoint();
            }
        }
    }

    /// <summary>
    /// Sets the peer's media address from its SDP (an outgoing call learns it only from the answer;
    /// a re-INVITE or UPDATE may move it, RFC 3264 8.3.1): media goes there, and the session
    /// accepts media from there or learns a NAT'd source anew (<see cref="RtpSourceFilter.Reset"/>).
    /// The same address again (a hold, a session refresh) changes nothing, so a peer's routine
    /// re-INVITE never reopens learning to a sweeping outsider.
    /// </summary>
    public void SetRemote(IPEndPoint remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        if (WebRtc is not null)
        {
            return; // a browser's media address comes from its ICE checks only (RtpSession.WebRtc.cs), never from SDP
        }

        SetRemoteCore(remote);
    }

    private void SetRemoteCore(IPEndPoint remote)
    {
        var negotiated = RtpSource.From(remote);
        lock (_sourceGate)
        {
            if (negotiated == _sources.Negotiated)
            {
                return;
            }

            _sources.Reset(negotiated, _time.GetTimestamp());
            SendTo(remote);
        }
    }

    private void SendTo(IPEndPoint remote)
    {
        Volatile.Write(ref _remote, remote);
        Volatile.Write(ref _remoteAddress, remote.Serialize());
        Volatile.Write(ref _remoteRtcp, (WebRtc is null ? new IPEndPoint(remote.Address, remote.Port + 1) : remote).Serialize()); // RFC 8843: rtcp-mux
    }

    /// <summary>False while on hold (sendonly from the peer's side, or inactive).</summary>
    public bool Sending { get; set; } = true;

    public long PacketsReceived => Interlocked.Read(ref _packetsReceived);

    public long PacketsSent => _sent.PacketsSent;

    /// <summary>Datagrams that were not RTP we accept (malformed, wrong version, foreign payload type).</summary>
    public long PacketsDropped => Interlocked.Read(ref _packetsDropped);

    /// <summary>RTP and RTCP datagrams from a source other than the session's (strict symmetric RTP), dropped.</summary>
    public long ForeignPacketsDropped => Interlocked.Read(ref _foreignDropped);

    public long DigitsDetected => Interlocked.Read(ref _digits);

    /// <summary>
    /// Opens a session on a port pair from the allocator, or null when the range is exhausted. With
    /// <paramref name="send"/> it is secure (SRTP, <see cref="Secure"/>): it protects what it sends
    /// with that key and takes only what is authentic under <paramref name="receive"/>, the peer's
    /// key (null until <see cref="SetReceiveKeys"/>: nothing is taken meanwhile).
    /// </summary>
    public static RtpSession? Open(RtpPortAllocator ports, IPAddress bindAddress, IPEndPoint remote, RtpMediaFormat format, RtpCounters totals, TimeProvider time, SrtpMaster? send = null, SrtpMaster? receive = null)
    {
        if (receive is not null && send is null)
        {
            throw new ArgumentException("a session that receives SRTP sends SRTP", nameof(send));
        }

        ArgumentNullException.ThrowIfNull(ports);
        ArgumentNullException.ThrowIfNull(bindAddress);
        var pair = ports.Rent(bindAddress);
        if (pair is null)
        {
            return null;
        }

        return OnPair(pair, ports, p => new RtpSession(p, ports, remote, format, totals, time, send, receive));
    }

    /// <summary>A session on a rented pair; a pair whose session failed to start is closed (and taken off the receive loop), not leaked.</summary>
    private static RtpSession OnPair(RtpSocketPair pair, RtpPortAllocator ports, Func<RtpSocketPair, RtpSession> create)
    {
        try
        {
            return create(pair);
        }
        catch
        {
            ports.Release(pair.Port);
            pair.Dispose();
            throw;
        }
    }

    /// <summary>Runs on the media clock's thread: one frame out, an RTCP report when due. Never blocks.</summary>
    public void OnTick(long tick)
    {
        // A bridged leg that sends its peer's packets as they arrive still plays them here, from
        // the relay's buffer, for the recording tap: the recording keeps the clock's time.
        var atOnce = RelayTo is { } relayed && SendsAtOnce(relayed);
        var frame = _frame.AsSpan(0, FrameBytes);
        var finished = Player.NextFrame(frame[RtpPacket.FixedHeaderLength..], Format.Law, keepBacklog: atOnce);
        if (finished != 0 && Events is { } events)
        {
            // Call logic must not run on the clock's thread.
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.Events.OnPlaybackFinished(s.Session, s.Id), (Events: events, Session: this, Id: finished), preferLocal: false);
        }

        var payload = frame[RtpPacket.FixedHeaderLength..];
        var mixIn = MixIn;
        var recorded = Volatile.Read(ref _mixInRecorded);
        if (mixIn is not null && recorded)
        {
            MixFrom(mixIn, payload);
        }

        Tap?.OnFrame(this, payload);
        if (mixIn is not null && !recorded)
        {
            MixFrom(mixIn, payload);
        }
        if (Sending && _remote.Port != 0 && !atOnce)
        {
            lock (_sendGate)
            {
                RtpPacket.WriteHeader(frame, Format.PayloadType, marker: _relaying, _sequence++, _timestamp, Ssrc);
                _relaying = false;
                var length = ProtectRtp(_frame, FrameBytes); // the tag goes in the room after the frame
                if (!TrySend(_rtp, _frame.AsSpan(0, length), Volatile.Read(ref _remoteAddress)))
                {
                    _totals.CountSendFailed();
                }
            }

            _sent.OnPacketSent(SamplesPerFrame);
            _totals.CountSent();
        }

        _timestamp += SamplesPerFrame;
        if (tick >= _nextReport)
        {
            SendReport(tick);
        }
    }

    /// <summary>
    /// Whether this leg sends what <paramref name="from"/> receives as it arrives: the two are
    /// joined both ways, this leg plays only that audio, mixes nothing in, sends, and both use the
    /// same law (a relay between laws transcodes frame by frame on the clock).
    /// </summary>
    private bool SendsAtOnce(RtpSession from) =>
        from.Forward is { } audio
        && ReferenceEquals(from.RelayTo, this)
        && Sending
        && MixIn is null
        && from.Format.Law == Format.Law
        && Player.PlaysOnly(audio);

    /// <summary>
    /// On <paramref name="from"/>'s receiving thread: sends its audio packet on from this leg at
    /// once, with this leg's SSRC and sequence and the sender's timestamps moved onto this leg's
    /// timeline (re-anchored, with the marker bit, whenever the clock sent last or the sender's
    /// SSRC changed). Does nothing when this leg's clock is the one sending.
    /// </summary>
    private void RelayFrom(RtpSession from, in RtpPacket packet)
    {
        var payload = packet.Payload;
        if (payload.Length > MaxRelayedPayload || _remote.Port == 0 || !SendsAtOnce(from))
        {
            return;
        }

        lock (_sendGate)
        {
            var marker = packet.Marker;
            if (!_relaying || packet.Ssrc != _relaySsrc)
            {
                _relayOffset = _timestamp - packet.Timestamp;
                _relaySsrc = packet.Ssrc;
                _relaying = true;
                marker = true;
            }

            var datagram = (_relayFrame ??= new byte[RtpPacket.FixedHeaderLength + MaxRelayedPayload + SrtpContext.TagLength]).AsSpan();
            RtpPacket.WriteHeader(datagram, Format.PayloadType, marker, _sequence++, unchecked(packet.Timestamp + _relayOffset), Ssrc);
            payload.CopyTo(datagram[RtpPacket.FixedHeaderLength..]);
            var length = ProtectRtp(datagram, RtpPacket.FixedHeaderLength + payload.Length);
            if (!TrySend(_rtp, datagram[..length], Volatile.Read(ref _remoteAddress)))
            {
                _totals.CountSendFailed();
            }
        }

        _sent.OnPacketSent(payload.Length);
        _totals.CountRelayed();
    }

    /// <summary>Adds the mix-in source's next frame, if it has one, to <paramref name="payload"/>; on the clock's thread, no allocation.</summary>
    private void MixFrom(LiveAudio source, Span<byte> payload)
    {
        Span<byte> other = stackalloc byte[SamplesPerFrame];
        if (source.TryRead(other, Format.Law))
        {
            PcmMixer.MixInto(payload, other, Format.Law);
        }
    }

    private static void TrySend(Socket socket, ReadOnlySpan<byte> datagram, IPEndPoint to) => TrySend(socket, datagram, to.Serialize());

    /// <summary>False when the datagram was not sent (the socket's buffer full, or an ICMP error from an earlier send).</summary>
    private static bool TrySend(Socket socket, ReadOnlySpan<byte> datagram, SocketAddress to)
    {
        try
        {
            socket.SendTo(datagram, SocketFlags.None, to);
            return true;
        }
        catch (SocketException)
        {
            // The peer's port is closed (ICMP), or the send buffer is full; keep pacing, the call's
            // signalling decides its fate.
            return false;
        }
        catch (ObjectDisposedException)
        {
            // Closed between the clock's snapshot and this tick.
            return false;
        }
    }

    Socket IRtpReadable.Socket => _rtp;

    /// <summary>On a <see cref="RtpReceiveLoop"/> thread: the RTP socket is readable.</summary>
    void IRtpReadable.OnReadable(byte[] buffer)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return; // ended: the socket is going back to the pool for another leg
        }

        int length;
        try
        {
            length = _rtp.ReceiveFrom(buffer, SocketFlags.None, _receivedFrom);
        }
        catch (SocketException)
        {
            return; // nothing after all (a spurious wake-up), or ICMP from an earlier send
        }
        catch (ObjectDisposedException)
        {
            return; // closed while the loop held it
        }

        OnRtpDatagram(buffer.AsSpan(0, length), _receivedFrom);
    }

    /// <summary>Where <see cref="RtpReceiveLoop"/> does not exist: one pending receive at a time.</summary>
    private async Task ReceiveRtpAsync(CancellationToken cancellationToken)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(2048, pinned: true);
        while (!cancellationToken.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await _rtp.ReceiveFromAsync(buffer, SocketFlags.None, _receivedFrom, cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // ICMP from an earlier send
            }

            OnRtpDatagram(buffer.AsSpan(0, length), _receivedFrom);
        }
    }

    /// <summary>One datagram on the RTP port, from <paramref name="from"/>: RTCP (RFC 5761), audio or a key.</summary>
    private void OnRtpDatagram(Span<byte> datagram, SocketAddress from)
    {
        if (WebRtc is not null && datagram.Length > 0 && datagram[0] < 128)
        {
            // RFC 7983: STUN (0-3) and DTLS (20-63) on a browser's port; RTP and RTCP (128-191) go on below.
            OnWebRtcDatagram(datagram, from);
            return;
        }

        if (RtpDemultiplexer.Classify(datagram) == RtpPacketKind.Rtcp)
        {
            // RFC 5761: the peer multiplexes RTCP on the RTP port.
            HandleRtcp(datagram, RtpSource.From(from));
            return;
        }

        // SRTP before the source check: a forged packet never counts towards learning a source; an
        // authentic one replayed from elsewhere is foreign and does not use up the real one's index.
        if (!TryUnprotectRtp(datagram, out var plainLength, out var opened))
        {
            NoteWebRtcRefused(from);
            return;
        }

        NoteWebRtcAuthentic();

        datagram = datagram[..plainLength];

        var digits = _digitBuffer;
        int count;
        bool faxTone;
        try
        {
            count = HandleRtp(datagram, from, opened, digits, out faxTone);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            // A packet no part of the pipeline expected: dropped and counted, the stream goes on.
            Interlocked.Increment(ref _packetsDropped);
            _totals.CountDropped();
            return;
        }

        foreach (var pressed in digits.AsSpan(0, count))
        {
            Interlocked.Increment(ref _digits);
            _totals.CountDigit();
            Events?.OnDigit(this, pressed);
        }

        if (faxTone)
        {
            Events?.OnFaxTone(this);
        }
    }

    /// <summary>Checks, counts and reads one RTP datagram; returns how many digits it completed into <paramref name="digits"/>.</summary>
    private int HandleRtp(ReadOnlySpan<byte> datagram, SocketAddress from, SrtpOpened opened, Span<char> digits, out bool faxTone)
    {
        faxTone = false;
        if (!RtpPacket.TryParse(datagram, out var packet, out _))
        {
            Interlocked.Increment(ref _packetsDropped);
            _totals.CountDropped();
            return 0;
        }

        if (!AcceptSource(from, packet.SequenceNumber))
        {
            return 0;
        }

        CommitRtp(opened);

        if (packet.PayloadType != Format.PayloadType && packet.PayloadType != Format.TelephoneEventPayloadType)
        {
            Interlocked.Increment(ref _packetsDropped);
            _totals.CountDropped();
            return 0;
        }

        Interlocked.Increment(ref _packetsReceived);
        _totals.CountReceived();

        lock (_receiveGate)
        {
            if (_received is null || _received.Ssrc != packet.Ssrc)
            {
                _received = new RtpReceiverStatistics(packet.Ssrc, _time);
            }

            _received.Update(packet, RtpReceiverStatistics.ToTimestampUnits(_time.GetElapsedTime(0), 8000));
            if (packet.PayloadType == Format.TelephoneEventPayloadType)
            {
                if (_dtmfEvents.Handle(packet.Timestamp, packet.Marker, packet.SequenceNumber, packet.Payload) is char digit)
                {
                    digits[0] = digit;
                    return 1;
                }

                return 0;
            }

            if (Forward is { } forward)
            {
                // Bridged: the audio is the other party's to hear; keys come by RFC 4733 only.
                // Sent on at once where the other leg plays only this audio, otherwise by that
                // leg's clock (on hold, a prompt, a supervisor mixed in, another law); the buffer
                // is played by the clock either way, for the recording.
                forward.Write(packet.Payload, Format.Law);
                ForwardAlso?.Write(packet.Payload, Format.Law);
                RelayTo?.RelayFrom(this, packet);
                return 0;
            }

            ReceiveTap?.OnReceived(this, packet.Payload);

            // In-band tones, for peers that send DTMF in the audio (at most 60 ms a packet is read).
            Span<short> pcm = stackalloc short[Math.Min(packet.Payload.Length, MaxInBandSamples)];
            G711.Decode(packet.Payload[..pcm.Length], pcm, Format.Law);
            faxTone = Volatile.Read(ref _faxTone)?.Process(pcm) == true;
            return _dtmfTones.Process(pcm, digits[..Math.Min(digits.Length, DtmfToneDetector.MaxDigits(pcm.Length))]);
        }
    }

    /// <summary>
    /// Strict symmetric RTP: true for the session's own source; anything else is dropped and
    /// counted. When the session locks on a source that is not where it sends (a NAT rewrote the
    /// peer's address or port), it sends there from now on (symmetric RTP, RFC 4961).
    /// </summary>
    private bool AcceptSource(SocketAddress from, ushort sequence)
    {
        var source = RtpSource.From(from);
        RtpSourceVerdict verdict;
        lock (_sourceGate)
        {
            verdict = _sources.Check(source, sequence, _time.GetTimestamp());
            if (verdict == RtpSourceVerdict.Locked && source != RtpSource.From(Volatile.Read(ref _remote)))
            {
                // Under the lock, so that a new SDP arriving meanwhile (SetRemote) has the last word.
                // Once per session at most: the only allocation of the source check.
                SendTo(source.ToEndPoint());
                _totals.CountSourceLearned();
            }
        }

        switch (verdict)
        {
            case RtpSourceVerdict.Accepted:
            case RtpSourceVerdict.Locked:
                return true;
            case RtpSourceVerdict.Probation:
                _totals.CountProbationDropped();
                return false;
            default:
                Interlocked.Increment(ref _foreignDropped);
                _totals.CountForeignDropped();
                return false;
        }
    }

    private static EndPoint AnyEndPoint(Socket socket) =>
        new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        SendGoodbye();
        EndWebRtc();
        await _stopping.CancelAsync();
        _sockets.Detach();

        try
        {
            await Task.WhenAll(_receivingRtp, _receivingRtcp);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Closing.
        }

        // Nothing of this session reads the sockets any more (the loop's last pass over it ended
        // long before the pair rests out its time): they rest, still bound, for a later leg.
        _ports.Return(_sockets);
        _stopping.Dispose();
    }
}
