using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.Rtp.Srtp;
using CallCenter.Telephony.WebRtc;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace CallCenter.Telephony.Tests.WebRtc;

/// <summary>
/// A browser's media side on a loopback UDP socket, as Chromium behaves towards an ICE-lite peer: it
/// is the ICE controlling agent and sends a check with USE-CANDIDATE (signed with the platform's
/// ice-pwd), then is the DTLS client (setup:active), then sends and receives SRTP with rtcp-mux on
/// the one port. Shared with the integration tests (linked there), which drive it over a real call.
/// </summary>
internal sealed class LoopbackBrowser : IDisposable
{
    private const string IceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly CancellationTokenSource _stopping = new();
    private readonly DtlsDatagramChannel _dtls;
    private readonly Task _receiving;
    private readonly Lock _receiveGate = new();
    private readonly List<byte[]> _audio = [];
    private IPEndPoint? _platform;
    private SrtpContext? _send;
    private SrtpContext? _receive;
    private ushort _sequence = 1000;
    private long _stunAnswers;
    private long _refused;
    private long _beforeKeys;

    public LoopbackBrowser()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _dtls = new DtlsDatagramChannel(record =>
        {
            if (_platform is { } to)
            {
                _socket.SendTo(record, to);
            }
        });
        _receiving = Task.Run(ReceiveAsync);
    }

    public DtlsIdentity Identity { get; } = DtlsIdentity.Create(TimeProvider.System);

    public string Ufrag { get; } = RandomNumberGenerator.GetString(IceChars, 8);

    public string Password { get; } = RandomNumberGenerator.GetString(IceChars, 24);

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>The platform certificate's fingerprint the handshake saw.</summary>
    public string? ServerFingerprint { get; private set; }

    public long StunAnswers => Interlocked.Read(ref _stunAnswers);

    /// <summary>Media from the platform that did not open under the platform's SRTP key once this side had it.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>SRTP that arrived before this side had finished the handshake (dropped, not refused).</summary>
    public long BeforeKeys => Interlocked.Read(ref _beforeKeys);

    /// <summary>The G.711 payloads received and decrypted, in arrival order.</summary>
    public IReadOnlyList<byte[]> Audio
    {
        get
        {
            lock (_receiveGate)
            {
                return [.. _audio];
            }
        }
    }

    /// <summary>The browser's SDP answer to a WebRTC offer: its ICE credentials and fingerprint, DTLS client, rtcp-mux, the one codec.</summary>
    public string Answer(int payloadType) =>
        "v=0\r\n" +
        "o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n" +
        "s=-\r\n" +
        "t=0 0\r\n" +
        "a=group:BUNDLE 0\r\n" +
        $"m=audio 9 UDP/TLS/RTP/SAVPF {payloadType}\r\n" +
        "c=IN IP4 0.0.0.0\r\n" +
        "a=rtcp:9 IN IP4 0.0.0.0\r\n" +
        $"a=ice-ufrag:{Ufrag}\r\n" +
        $"a=ice-pwd:{Password}\r\n" +
        $"a=fingerprint:sha-256 {Identity.Fingerprint}\r\n" +
        "a=setup:active\r\n" +
        "a=mid:0\r\n" +
        "a=sendrecv\r\n" +
        "a=rtcp-mux\r\n" +
        $"a=rtpmap:{payloadType} {(payloadType == 8 ? "PCMA" : "PCMU")}/8000\r\n";

    /// <summary>
    /// ICE (checks until one is answered) then the DTLS handshake as client; returns the SRTP keys.
    /// <paramref name="handshake"/> false: the browser checks but never starts DTLS (a stuck handshake).
    /// </summary>
    public async Task<DtlsSrtpKeys?> ConnectAsync(IPEndPoint platform, string ufrag, string password, bool handshake = true)
    {
        _platform = platform;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (StunAnswers == 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("no answer to the ICE check");
            }

            _socket.SendTo(Check($"{ufrag}:{Ufrag}", password, useCandidate: true), platform);
            await Task.Delay(100);
        }

        if (!handshake)
        {
            return null;
        }

        var client = new BrowserLikeClient(new BcTlsCrypto(new SecureRandom()), Identity);
        await Task.Run(() => new DtlsClientProtocol().Connect(client, _dtls)).WaitAsync(TimeSpan.FromSeconds(20));
        ServerFingerprint = client.ServerFingerprint;
        var keys = client.Keys!;
        _send = new SrtpContext(keys.Client.Derive());
        Volatile.Write(ref _receive, new SrtpContext(keys.Server.Derive()));
        return keys;
    }

    /// <summary>One 20 ms G.711 packet, protected with the browser's key (the DTLS client's, RFC 5764 4.2).</summary>
    public void SendAudio(int payloadType, ReadOnlySpan<byte> payload, uint ssrc = 0x0B0B_0B0B)
    {
        var send = _send ?? throw new InvalidOperationException("no keys yet");
        var datagram = new byte[RtpPacket.FixedHeaderLength + payload.Length + SrtpContext.TagLength];
        var sequence = _sequence++;
        RtpPacket.Write(datagram, payloadType, marker: false, sequence, sequence * (uint)payload.Length, ssrc, payload.ToArray());
        var length = send.Protect(datagram, RtpPacket.FixedHeaderLength + payload.Length);
        _socket.SendTo(datagram.AsSpan(0, length), _platform!);
    }

    /// <summary>A datagram as it is (forged SRTP, junk).</summary>
    public void SendRaw(ReadOnlySpan<byte> datagram) => _socket.SendTo(datagram, _platform!);

    /// <summary>RFC 8445 7.2.4: a Binding request with USERNAME, PRIORITY, ICE-CONTROLLING, maybe USE-CANDIDATE, MESSAGE-INTEGRITY and FINGERPRINT.</summary>
    public static byte[] Check(string username, string password, bool useCandidate)
    {
        var message = new List<byte>();
        var head = new byte[StunMessage.HeaderLength];
        BinaryPrimitives.WriteUInt16BigEndian(head, StunMessage.BindingRequest);
        BinaryPrimitives.WriteUInt32BigEndian(head.AsSpan(4), StunMessage.MagicCookie);
        RandomNumberGenerator.Fill(head.AsSpan(8, 12));
        message.AddRange(head);
        void Attribute(ushort type, ReadOnlySpan<byte> value)
        {
            Span<byte> header = stackalloc byte[4];
            BinaryPrimitives.WriteUInt16BigEndian(header, type);
            BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)value.Length);
            message.AddRange(header);
            message.AddRange(value);
            message.AddRange(new byte[((value.Length + 3) & ~3) - value.Length]);
        }

        Attribute(StunMessage.Username, Encoding.UTF8.GetBytes(username));
        Attribute(StunMessage.Priority, [0x6e, 0, 0x1e, 0xff]);
        Attribute(StunMessage.IceControlling, RandomNumberGenerator.GetBytes(8));
        if (useCandidate)
        {
            Attribute(StunMessage.UseCandidate, []);
        }

        var hmac = new byte[20];
        StunMessage.ComputeIntegrity([.. message], Encoding.UTF8.GetBytes(password), hmac);
        Attribute(StunMessage.MessageIntegrity, hmac);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, StunMessage.ComputeFingerprint([.. message]));
        Attribute(StunMessage.Fingerprint, crc);
        var packet = message.ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)(packet.Length - StunMessage.HeaderLength));
        return packet;
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[2048];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stopping.IsCancellationRequested)
        {
            int length;
            try
            {
                var received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stopping.Token);
                length = received.ReceivedBytes;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            var datagram = buffer.AsSpan(0, length);
            if (StunMessage.LooksLikeStun(datagram))
            {
                if (StunMessage.TryParse(datagram, out _) is { Type: StunMessage.BindingSuccess })
                {
                    Interlocked.Increment(ref _stunAnswers);
                }
            }
            else if (DtlsDatagramChannel.LooksLikeDtls(datagram))
            {
                _dtls.Deliver(datagram);
            }
            else if (length > RtpPacket.FixedHeaderLength && datagram[0] is >= 128 and <= 191 && datagram[1] is not (>= 192 and <= 223))
            {
                // RTP (RTCP's packet types 192-223 share the port, RFC 5761 4, and are not audio).
                if (Volatile.Read(ref _receive) is not { } receive)
                {
                    // The platform, the DTLS server, has its keys once it sent its Finished; this side only
                    // once it has read it. SRTP arriving in between is dropped, as a browser drops it, and
                    // counted apart: it is not a packet that failed under the right key.
                    Interlocked.Increment(ref _beforeKeys);
                }
                else if (receive.TryUnprotect(datagram, length, out var plain) && RtpPacket.TryParse(datagram[..plain], out var packet, out _))
                {
                    lock (_receiveGate)
                    {
                        _audio.Add(packet.Payload.ToArray());
                    }
                }
                else
                {
                    Interlocked.Increment(ref _refused);
                }
            }
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _socket.Dispose();
        _dtls.Dispose();
        try
        {
            _receiving.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            // Stopped.
        }

        _stopping.Dispose();
        _send?.Dispose();
        _receive?.Dispose();
    }
}
