using System.Net;

namespace CallCenter.Telephony.WebRtc;

/// <summary>What <see cref="WebRtcTransport.Receive"/> did with one datagram.</summary>
public enum WebRtcPacketKind
{
    /// <summary>A valid ICE check, answered.</summary>
    StunAnswered,

    /// <summary>A STUN message that was not a valid check of ours: unanswered.</summary>
    StunRefused,

    /// <summary>A DTLS record from the browser, handed to the handshake.</summary>
    Dtls,

    /// <summary>SRTP or SRTCP from the browser once the keys exist: for the RTP session to authenticate and decrypt.</summary>
    Media,

    /// <summary>From an address no valid check came from, before the keys, or neither STUN, DTLS nor RTP: counted and dropped.</summary>
    Dropped,
}

/// <summary>
/// One browser leg's media port as RFC 7983 multiplexes it: STUN to ICE-lite, DTLS to the handshake,
/// SRTP and SRTCP (rtcp-mux) to the RTP session. Only the address ICE selected (a check signed with our
/// ice-pwd) may speak DTLS or media, so someone on the LAN who saw the port cannot take the handshake
/// or inject audio. The handshake starts when the browser's answer gives its fingerprint
/// (<see cref="Start"/>); records that arrive before are kept for it.
/// </summary>
public sealed class WebRtcTransport : IDisposable
{
    private readonly DtlsIdentity _identity;
    private readonly Action<byte[], IPEndPoint> _send;
    private readonly DtlsDatagramChannel _dtls;
    private readonly TaskCompletionSource<DtlsSrtpResult> _handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile DtlsSrtpKeys? _keys;
    private long _dropped;

    /// <param name="send">Sends a datagram from the media port; the receive loop's socket.</param>
    public WebRtcTransport(IceCredentials local, DtlsIdentity identity, Action<byte[], IPEndPoint> send)
    {
        ArgumentNullException.ThrowIfNull(local);
        Ice = new IceLiteResponder(local);
        _identity = identity;
        _send = send;
        _dtls = new DtlsDatagramChannel(record =>
        {
            if (Ice.Selected is { } browser)
            {
                _send(record, browser);
            }
        });
    }

    public IceLiteResponder Ice { get; }

    /// <summary>Our certificate's SHA-256 fingerprint, for our SDP.</summary>
    public string Fingerprint => _identity.Fingerprint;

    /// <summary>Completes with the SRTP masters, or the reason there are none (a timeout, a wrong certificate).</summary>
    public Task<DtlsSrtpResult> Handshake => _handshake.Task;

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Takes the browser's answer: its ICE ufrag from now on, and the DTLS handshake held to its fingerprint.</summary>
    public void Start(WebRtcAnswer answer, TimeSpan handshakeTimeout)
    {
        ArgumentNullException.ThrowIfNull(answer);
        Ice.RemoteUfrag = answer.IceUfrag;
        _ = RunHandshakeAsync(answer.Fingerprint, handshakeTimeout);
    }

    public WebRtcPacketKind Receive(ReadOnlySpan<byte> packet, IPEndPoint source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (StunMessage.LooksLikeStun(packet))
        {
            var outcome = Ice.Handle(packet, source);
            if (outcome.Response is { } response)
            {
                _send(response, source);
                return WebRtcPacketKind.StunAnswered;
            }

            return WebRtcPacketKind.StunRefused;
        }

        var fromBrowser = Ice.Selected is { } selected && selected.Equals(source);
        if (fromBrowser && DtlsDatagramChannel.LooksLikeDtls(packet))
        {
            _dtls.Deliver(packet);
            return WebRtcPacketKind.Dtls;
        }

        if (fromBrowser && _keys is not null && packet.Length >= 12 && packet[0] is >= 128 and <= 191)
        {
            return WebRtcPacketKind.Media;
        }

        Interlocked.Increment(ref _dropped);
        return WebRtcPacketKind.Dropped;
    }

    private async Task RunHandshakeAsync(string fingerprint, TimeSpan timeout)
    {
        var result = await DtlsSrtpHandshake.AcceptAsync(_identity, fingerprint, _dtls, timeout);
        _keys = result.Keys;
        _handshake.TrySetResult(result);
    }

    public void Dispose()
    {
        _dtls.Close();
        _handshake.TrySetResult(new DtlsSrtpResult(null, "the leg ended"));
    }
}
