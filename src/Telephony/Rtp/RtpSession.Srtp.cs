using CallCenter.Telephony.Rtp.Srtp;

namespace CallCenter.Telephony.Rtp;

/// <summary>
/// SRTP and SRTCP for a secure session (keys exchanged by SDES, RFC 4568, over SIP over TLS): what
/// this leg sends is protected with our key, what it receives must be authentic under the peer's.
/// A secure session never falls back to plain RTP: until the peer's key is known (an outgoing leg
/// before the answer) every packet is refused, and a packet that fails its tag or is replayed is
/// dropped and counted before it reaches the source check, the DTMF detector or the relay.
/// </summary>
public sealed partial class RtpSession
{
    // Ours, for what we send: RTP under _sendGate, RTCP under its own lock (the clock's report, the BYE).
    // Set when the session opens (SDES), or once when a browser's DTLS handshake ends (RtpSession.WebRtc.cs).
    private SrtpContext? _sendSrtp;
    private SrtcpContext? _sendSrtcp;

    // The peer's, for what we receive; null while a secure session waits for the answer's key.
    private ReceiveKeys? _receiveKeys;
    private long _srtpRefused;

    // The contexts' native handles (OpenSSL) go with the session to the finalizer: disposing them
    // when the session closes could race a receive thread or the other leg's relay still inside a packet.

    /// <summary>Whether the session protects its media (SRTP); fixed when it is opened.</summary>
    public bool Secure => _sendSrtp is not null || WebRtc is not null;

    /// <summary>Our master key for what this session sends (written again in every answer of the call), or null for plain RTP.</summary>
    public SrtpMaster? SendMaster { get; }

    /// <summary>Packets refused on this secure session: not authentic, replayed, or before the peer's key was known.</summary>
    public long SrtpPacketsRefused => Interlocked.Read(ref _srtpRefused);

    /// <summary>
    /// The peer's master key and salt, from its offer or answer (an outgoing leg offers ours first
    /// and learns the peer's only with the 200). A new SDP may bring a new key (RFC 4568 7.1.4):
    /// the same key again changes nothing (its replay window stays); another one replaces it.
    /// </summary>
    public void SetReceiveKeys(SrtpMaster master)
    {
        ArgumentNullException.ThrowIfNull(master);
        if (!Secure)
        {
            throw new InvalidOperationException("a plain session has no SRTP keys");
        }

        if (Volatile.Read(ref _receiveKeys) is { } current && current.Master.SameAs(master))
        {
            return;
        }

        Volatile.Write(ref _receiveKeys, new ReceiveKeys(master));
    }

    /// <summary>Protects the RTP packet in <paramref name="buffer"/> for sending (under <c>_sendGate</c>); its length on the wire.</summary>
    private int ProtectRtp(Span<byte> buffer, int length) => Volatile.Read(ref _sendSrtp) is { } srtp ? srtp.Protect(buffer, length) : length;

    /// <summary>Protects an RTCP compound packet for sending; its length on the wire.</summary>
    private int ProtectRtcp(Span<byte> buffer, int length)
    {
        if (Volatile.Read(ref _sendSrtcp) is not { } srtcp)
        {
            return length;
        }

        lock (srtcp)
        {
            return srtcp.Protect(buffer, length);
        }
    }

    /// <summary>
    /// On the receive thread: a plain session takes the datagram as it is; a secure one only when
    /// authentic, decrypted in place. Its index enters the replay window only with
    /// <see cref="CommitRtp"/>, once the source check has taken it too.
    /// </summary>
    private bool TryUnprotectRtp(Span<byte> datagram, out int length, out SrtpOpened opened)
    {
        opened = default;
        if (!Secure)
        {
            length = datagram.Length;
            return true;
        }

        if (Volatile.Read(ref _receiveKeys) is { } keys && keys.Rtp.TryOpen(datagram, datagram.Length, out length, out opened))
        {
            return true;
        }

        length = 0;
        CountSrtpRefused();
        return false;
    }

    private void CommitRtp(SrtpOpened opened)
    {
        if (Secure && Volatile.Read(ref _receiveKeys) is { } keys)
        {
            keys.Rtp.Commit(opened);
        }
    }

    /// <summary>RTCP arrives on two threads (the RTP port's with rtcp-mux, the RTCP port's): one lock.</summary>
    private bool TryUnprotectRtcp(Span<byte> datagram, out int length)
    {
        if (!Secure)
        {
            length = datagram.Length;
            return true;
        }

        if (Volatile.Read(ref _receiveKeys) is { } keys)
        {
            lock (keys.Rtcp)
            {
                if (keys.Rtcp.TryUnprotect(datagram, datagram.Length, out length))
                {
                    return true;
                }
            }
        }

        length = 0;
        CountSrtpRefused();
        return false;
    }

    private void CountSrtpRefused()
    {
        Interlocked.Increment(ref _srtpRefused);
        _totals.CountSrtpRefused();
    }

    private sealed class ReceiveKeys
    {
        public ReceiveKeys(SrtpMaster master)
        {
            var keys = master.Derive();
            Master = master;
            Rtp = new SrtpContext(keys);
            Rtcp = new SrtcpContext(keys);
        }

        public SrtpMaster Master { get; }

        public SrtpContext Rtp { get; }

        public SrtcpContext Rtcp { get; }
    }
}
