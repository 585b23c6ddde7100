using System.Net;
using System.Net.Sockets;
using CallCenter.Telephony.Rtp.Srtp;
using CallCenter.Telephony.WebRtc;

namespace CallCenter.Telephony.Rtp;

/// <summary>
/// A browser's session (WebRTC, RFC 8827): the same leg as any other once keyed, but its port also
/// carries STUN and DTLS (RFC 7983), its media address comes only from the browser's ICE checks
/// (never from SDP), and its SRTP keys from the DTLS-SRTP handshake (RFC 5764) rather than from the
/// SDP. Until the handshake gives keys the session sends nothing and takes nothing. A handshake that
/// fails, the browser's SRTP failing authentication <see cref="RefusedInARowLimit"/> times in a row
/// with no authentic packet for <see cref="AuthenticGap"/>, or nothing at all from the browser (no
/// media, no ICE consent check, RFC 7675) for <see cref="ConsentTimeout"/> completes
/// <see cref="MediaFailure"/>: the call then ends this leg alone.
/// </summary>
public sealed partial class RtpSession
{
    /// <summary>SRTP packets in a row from the browser's address that fail authentication before its leg is given up: 2 s of 20 ms audio.</summary>
    public const int RefusedInARowLimit = 100;

    /// <summary>
    /// How long without one authentic packet the refusals must also last: forged packets from the
    /// browser's address, however many between two of its real ones, cannot end the call.
    /// </summary>
    public static readonly TimeSpan AuthenticGap = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A browser that sends nothing for this long (no audio, no ICE consent check: browsers send one
    /// every few seconds, RFC 7675) has gone: the tab closed, the laptop slept, the network fell away.
    /// </summary>
    public static readonly TimeSpan ConsentTimeout = TimeSpan.FromSeconds(30);

    private long _lastAuthentic;
    private long _lastHeard;
    private ITimer? _consentTimer;

    private readonly TaskCompletionSource<string?> _mediaFailure = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _webRtcStarted;
    private volatile bool _dtlsKeyed;
    private int _refusedInARow;

    // The browser's address once keyed (ICE's selected pair): only its refusals count towards the limit,
    // so a LAN peer spraying junk at the port cannot end the agent's call.
    private RtpSource _browser;

    /// <summary>The browser's side of this session (ICE-lite, DTLS), or null for a SIP phone's.</summary>
    public WebRtcTransport? WebRtc { get; }

    /// <summary>Completes with the reason when a browser's media fails for good (DTLS failed, SRTP keeps failing); with null when the session ends first.</summary>
    public Task<string?> MediaFailure => _mediaFailure.Task;

    /// <summary>Whether the DTLS-SRTP handshake has given this browser session its keys.</summary>
    public bool DtlsKeyed => _dtlsKeyed;

    /// <summary>
    /// Opens a session for a browser on a port pair from the allocator (null when none is free): our
    /// offer carries its <see cref="WebRtcTransport.Ice"/> credentials and <paramref name="identity"/>'s
    /// fingerprint, and <see cref="StartWebRtc"/> takes the browser's answer.
    /// </summary>
    public static RtpSession? OpenWebRtc(RtpPortAllocator ports, IPAddress bindAddress, RtpMediaFormat format, RtpCounters totals, TimeProvider time, DtlsIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(ports);
        ArgumentNullException.ThrowIfNull(bindAddress);
        ArgumentNullException.ThrowIfNull(identity);
        var none = new IPEndPoint(bindAddress.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        var pair = ports.Rent(bindAddress);
        return pair is null ? null : OnPair(pair, ports, p => new RtpSession(p, ports, none, format, totals, time, send: null, receive: null, identity));
    }

    /// <summary>
    /// Takes the browser's SDP answer: ICE checks must now carry its ufrag, and the DTLS handshake
    /// (held to its fingerprint, within <paramref name="handshakeTimeout"/>) runs on the port. Once only.
    /// </summary>
    public void StartWebRtc(WebRtcAnswer answer, TimeSpan handshakeTimeout)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var transport = WebRtc ?? throw new InvalidOperationException("a SIP phone's session has no DTLS");
        if (Interlocked.Exchange(ref _webRtcStarted, 1) != 0)
        {
            return;
        }

        transport.Start(answer, handshakeTimeout);
        _ = transport.Handshake.ContinueWith(static (done, state) => ((RtpSession)state!).OnHandshake(done.Result), this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>On the handshake's thread: the keys go in (we are the DTLS server: we send with the server's, RFC 5764 4.2), media goes to ICE's choice.</summary>
    private void OnHandshake(DtlsSrtpResult result)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            _mediaFailure.TrySetResult(null);
            return;
        }

        if (!result.Succeeded)
        {
            _totals.CountDtlsFailed();
            _mediaFailure.TrySetResult("DTLS-SRTP " + result.Failure);
            return;
        }

        var send = result.Keys.Server.Derive();
        Volatile.Write(ref _receiveKeys, new ReceiveKeys(result.Keys.Client));
        Volatile.Write(ref _sendSrtcp, new SrtcpContext(send));
        lock (_sendGate)
        {
            _sendSrtp = new SrtpContext(send);
        }

        _totals.CountDtlsCompleted();
        if (WebRtc!.Ice.Selected is { } selected)
        {
            FollowIce(selected);
        }

        var now = _time.GetTimestamp();
        Volatile.Write(ref _lastAuthentic, now);
        Volatile.Write(ref _lastHeard, now);
        _dtlsKeyed = true;
        var check = ConsentTimeout / 6;
        _consentTimer = _time.CreateTimer(static state => ((RtpSession)state!).CheckConsent(), this, check, check);
        if (Volatile.Read(ref _disposed) != 0)
        {
            _consentTimer.Dispose();
        }
    }

    /// <summary>On a timer: the browser that has sent nothing for <see cref="ConsentTimeout"/> has gone.</summary>
    private void CheckConsent()
    {
        if (_time.GetElapsedTime(Volatile.Read(ref _lastHeard)) >= ConsentTimeout
            && _mediaFailure.TrySetResult($"nothing from the browser for {ConsentTimeout.TotalSeconds:0} s (no media, no ICE consent check)"))
        {
            _totals.CountWebRtcSrtpFailure();
        }
    }

    /// <summary>Media goes to (and is taken from) the address ICE selected.</summary>
    private void FollowIce(IPEndPoint selected)
    {
        lock (_sourceGate)
        {
            _browser = RtpSource.From(selected);
        }

        SetRemoteCore(selected);
    }

    /// <summary>On the receive thread: a STUN check or a DTLS record on a browser's port (RFC 7983).</summary>
    private void OnWebRtcDatagram(ReadOnlySpan<byte> datagram, SocketAddress from)
    {
        // STUN and DTLS are a handful of packets per call: the endpoint's allocation is not on the audio path.
        var source = (IPEndPoint)AnyEndPoint(_rtp).Create(from);
        var transport = WebRtc!;
        var kind = transport.Receive(datagram, source);
        if (kind == WebRtcPacketKind.StunAnswered && _dtlsKeyed)
        {
            // A check with our ICE password: the browser is still there (consent, RFC 7675).
            Volatile.Write(ref _lastHeard, _time.GetTimestamp());
        }

        if (kind == WebRtcPacketKind.StunAnswered && _dtlsKeyed && transport.Ice.Selected is { } selected && !selected.Equals(Remote))
        {
            // The browser nominated another pair after the handshake (RFC 8445 8.1.1): media follows.
            FollowIce(selected);
        }
        else if (kind is WebRtcPacketKind.Dropped or WebRtcPacketKind.StunRefused)
        {
            Interlocked.Increment(ref _packetsDropped);
            _totals.CountDropped();
        }
    }

    private void NoteWebRtcRefused(SocketAddress from)
    {
        if (WebRtc is null || !_dtlsKeyed)
        {
            return;
        }

        RtpSource browser;
        lock (_sourceGate)
        {
            browser = _browser;
        }

        if (RtpSource.From(from) == browser
            && Interlocked.Increment(ref _refusedInARow) >= RefusedInARowLimit
            && _time.GetElapsedTime(Volatile.Read(ref _lastAuthentic)) >= AuthenticGap
            && _mediaFailure.TrySetResult($"SRTP from the browser failed authentication {RefusedInARowLimit} times in a row, none authentic for {AuthenticGap.TotalSeconds:0} s"))
        {
            _totals.CountWebRtcSrtpFailure();
        }
    }

    private void NoteWebRtcAuthentic()
    {
        if (WebRtc is null)
        {
            return;
        }

        var now = _time.GetTimestamp();
        Volatile.Write(ref _lastAuthentic, now);
        Volatile.Write(ref _lastHeard, now);
        if (Volatile.Read(ref _refusedInARow) != 0)
        {
            Volatile.Write(ref _refusedInARow, 0);
        }
    }

    /// <summary>The session ends: the handshake stops waiting, and nobody waits on a failure any more.</summary>
    private void EndWebRtc()
    {
        _consentTimer?.Dispose();
        WebRtc?.Dispose();
        _mediaFailure.TrySetResult(null);
    }
}
