using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CallCenter.Telephony.Rtp.Srtp;

/// <summary>
/// One direction of SRTCP for RTCP compound packets, AES_CM_128_HMAC_SHA1_80 (RFC 3711 3.4): a
/// sender's context encrypts everything after the first report's 8-byte header, appends the
/// E flag with its 31-bit SRTCP index and the 80-bit tag over all of it; a receiver's checks the
/// tag in constant time, refuses a replayed or too old index, and decrypts. Authentication is
/// mandatory for SRTCP (RFC 3711 3.4), so a forged report is refused like a forged audio packet.
/// Not thread-safe: callers serialize each context.
/// </summary>
public sealed class SrtcpContext : IDisposable
{
    /// <summary>Bytes protection adds: the E flag and index (4), the tag (10).</summary>
    public const int Overhead = IndexLength + SrtpContext.TagLength;

    private const int IndexLength = 4;
    private const int HeaderLength = 8; // V, P, RC, PT, length and the sender's SSRC
    private const uint Encrypted = 0x8000_0000;
    private const uint MaxIndex = 0x7FFF_FFFF;

    private readonly SrtpCipher _aes;
    private readonly IncrementalHash _hmac;
    private readonly byte[] _salt;
    private uint _nextIndex;
    private readonly SrtpReplayWindow _received = new();

    public SrtcpContext(SrtpKeys keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _aes = new SrtpCipher(keys.RtcpKey);
        _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, keys.RtcpAuth);
        _salt = keys.RtcpSaltKey;
    }

    /// <summary>Packets refused: too short, a wrong tag, a replay, or older than the window.</summary>
    public long Refused { get; private set; }

    /// <summary>
    /// Protects the RTCP compound packet in <paramref name="buffer"/>[..<paramref name="length"/>] in
    /// place and returns its new length (<paramref name="length"/> + <see cref="Overhead"/>); the buffer must have room.
    /// </summary>
    public int Protect(Span<byte> buffer, int length)
    {
        if (length < HeaderLength || buffer[0] >> 6 != 2)
        {
            throw new ArgumentException("not an RTCP packet", nameof(buffer));
        }

        if (buffer.Length < length + Overhead)
        {
            throw new ArgumentException("no room for the SRTCP index and tag", nameof(buffer));
        }

        // RFC 3711 3.3.2: the index counts the packets sent; at 2^31 the keys must change, and SDES
        // keys here never do, so the session stops protecting rather than reuse a keystream.
        if (_nextIndex > MaxIndex)
        {
            throw new InvalidOperationException("the SRTCP index is exhausted: the session must be re-keyed");
        }

        var index = _nextIndex++;
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer[4..]);
        Crypt(buffer[HeaderLength..length], ssrc, index);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[length..], Encrypted | index);
        var authenticated = length + IndexLength;
        Tag(buffer[..authenticated], buffer.Slice(authenticated, SrtpContext.TagLength));
        return authenticated + SrtpContext.TagLength;
    }

    /// <summary>
    /// Unprotects the SRTCP packet in <paramref name="buffer"/>[..<paramref name="length"/>] in place;
    /// <paramref name="plainLength"/> is the RTCP compound packet's length. False for a packet that is
    /// not authentic, a replay or too old.
    /// </summary>
    public bool TryUnprotect(Span<byte> buffer, int length, out int plainLength)
    {
        plainLength = 0;
        if (length < HeaderLength + Overhead || buffer[0] >> 6 != 2)
        {
            Refused++;
            return false;
        }

        var authenticated = length - SrtpContext.TagLength;
        Span<byte> expected = stackalloc byte[SrtpContext.TagLength];
        Tag(buffer[..authenticated], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, buffer.Slice(authenticated, SrtpContext.TagLength)))
        {
            Refused++;
            return false;
        }

        var bodyLength = authenticated - IndexLength;
        var word = BinaryPrimitives.ReadUInt32BigEndian(buffer[bodyLength..]);
        var index = word & MaxIndex;
        if (!_received.Allows(index))
        {
            Refused++;
            return false;
        }

        if ((word & Encrypted) != 0)
        {
            Crypt(buffer[HeaderLength..bodyLength], BinaryPrimitives.ReadUInt32BigEndian(buffer[4..]), index);
        }

        _received.Take(index);
        plainLength = bodyLength;
        return true;
    }

    public void Dispose()
    {
        _aes.Dispose();
        _hmac.Dispose();
    }

    private void Crypt(Span<byte> body, uint ssrc, uint index)
    {
        Span<byte> iv = stackalloc byte[16];
        SrtpCipher.Iv(_salt, ssrc, index, iv);
        _aes.Xor(iv, body);
    }

    /// <summary>RFC 3711 4.2: HMAC-SHA1 over the packet, the E flag and the index, truncated to 80 bits.</summary>
    private void Tag(ReadOnlySpan<byte> authenticated, Span<byte> tag)
    {
        Span<byte> full = stackalloc byte[20];
        _hmac.AppendData(authenticated);
        _hmac.GetHashAndReset(full);
        full[..SrtpContext.TagLength].CopyTo(tag);
    }
}
