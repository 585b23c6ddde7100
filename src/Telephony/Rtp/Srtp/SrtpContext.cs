using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CallCenter.Telephony.Rtp.Srtp;

/// <summary>
/// One direction of SRTP for RTP packets, AES_CM_128_HMAC_SHA1_80 (RFC 3711): a sender's context
/// protects (encrypts the payload, appends the 80-bit tag over the packet and its rollover counter),
/// a receiver's unprotects (estimates the packet index from the sequence number, refuses a replay or
/// a packet too old for the 64-packet window, checks the tag in constant time, decrypts). The header
/// stays readable. Not thread-safe: a session's send path and receive path each own one context.
/// </summary>
public sealed class SrtpContext : IDisposable
{
    /// <summary>Bytes the tag adds to a packet (HMAC-SHA1 truncated to 80 bits).</summary>
    public const int TagLength = 10;

    // Streams (SSRCs) remembered per context: a phone sends one; a few more cover an SSRC change.
    private const int MaxStreams = 8;

    private readonly SrtpCipher _aes;
    private readonly IncrementalHash _hmac;
    private readonly byte[] _salt;
    private readonly List<Stream> _streams = [];

    public SrtpContext(SrtpKeys keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _aes = new SrtpCipher(keys.RtpKey);
        _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, keys.RtpAuth);
        _salt = keys.RtpSaltKey;
    }

    /// <summary>Packets refused: too short, a wrong tag, a replay, or older than the window.</summary>
    public long Refused { get; private set; }

    /// <summary>
    /// Protects the RTP packet in <paramref name="buffer"/>[..<paramref name="length"/>] in place and
    /// returns its new length (<paramref name="length"/> + <see cref="TagLength"/>); the buffer must have room.
    /// </summary>
    public int Protect(Span<byte> buffer, int length)
    {
        var header = HeaderLength(buffer[..length]);
        if (header < 0)
        {
            throw new ArgumentException("not an RTP packet", nameof(buffer));
        }

        if (buffer.Length < length + TagLength)
        {
            throw new ArgumentException("no room for the authentication tag", nameof(buffer));
        }

        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer[8..]);
        var sequence = BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]);
        var stream = StreamOf(ssrc);

        // RFC 3711 3.3.1: the sender's rollover counter counts the wraps of its own sequence numbers.
        if (stream.Started && sequence < stream.Highest && stream.Highest - sequence > 0x8000)
        {
            stream.Roc++;
        }

        if (!stream.Started || IsNewer(sequence, stream.Highest))
        {
            stream.Highest = sequence;
        }

        stream.Started = true;
        var index = ((ulong)stream.Roc << 16) | sequence;
        Crypt(buffer[header..length], ssrc, index);
        Tag(buffer[..length], stream.Roc, buffer.Slice(length, TagLength));
        return length + TagLength;
    }

    /// <summary>
    /// Unprotects the SRTP packet in <paramref name="buffer"/>[..<paramref name="length"/>] in place;
    /// <paramref name="plainLength"/> is the RTP packet's length without the tag. False (and the
    /// buffer's payload untouched) for a packet that is not authentic, a replay or too old.
    /// </summary>
    public bool TryUnprotect(Span<byte> buffer, int length, out int plainLength)
    {
        if (!TryOpen(buffer, length, out plainLength, out var opened))
        {
            return false;
        }

        Commit(opened);
        return true;
    }

    /// <summary>
    /// <see cref="TryUnprotect"/> without taking the packet's index into the replay window yet: the
    /// caller commits it (<see cref="Commit"/>) only once it accepts the packet for other reasons too
    /// (its source), so an authentic packet replayed from elsewhere cannot use up the real one's index.
    /// </summary>
    public bool TryOpen(Span<byte> buffer, int length, out int plainLength, out SrtpOpened opened)
    {
        plainLength = 0;
        opened = default;
        var header = length >= 12 + TagLength ? HeaderLength(buffer[..(length - TagLength)]) : -1;
        if (header < 0)
        {
            Refused++;
            return false;
        }

        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer[8..]);
        var sequence = BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]);
        var stream = StreamOf(ssrc);
        var roc = EstimateRoc(stream, sequence);
        var index = ((ulong)roc << 16) | sequence;
        if (!stream.Replay.Allows(index))
        {
            Refused++;
            return false;
        }

        var bodyLength = length - TagLength;
        Span<byte> expected = stackalloc byte[TagLength];
        Tag(buffer[..bodyLength], roc, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, buffer.Slice(bodyLength, TagLength)))
        {
            Refused++;
            return false;
        }

        Crypt(buffer[header..bodyLength], ssrc, index);
        opened = new SrtpOpened(ssrc, roc, sequence, index);
        plainLength = bodyLength;
        return true;
    }

    /// <summary>Takes an opened packet's index into the replay window (and its ROC as the stream's).</summary>
    public void Commit(SrtpOpened opened)
    {
        var stream = StreamOf(opened.Ssrc);
        if (!stream.Replay.Allows(opened.Index))
        {
            return; // the same index committed meanwhile
        }

        if (stream.Replay.Take(opened.Index) || !stream.Started)
        {
            stream.Highest = opened.Sequence;
            stream.Roc = opened.Roc;
            stream.Started = true;
        }
    }

    public void Dispose()
    {
        _aes.Dispose();
        _hmac.Dispose();
    }

    /// <summary>RFC 3550 5.1: the fixed header, CSRCs and an extension; -1 when the packet is not RTP version 2 or too short.</summary>
    private static int HeaderLength(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < 12 || packet[0] >> 6 != 2)
        {
            return -1;
        }

        var length = 12 + (4 * (packet[0] & 0x0F));
        if ((packet[0] & 0x10) != 0)
        {
            if (packet.Length < length + 4)
            {
                return -1;
            }

            length += 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(length + 2)..]));
        }

        return length <= packet.Length ? length : -1;
    }

    private void Crypt(Span<byte> payload, uint ssrc, ulong index)
    {
        Span<byte> iv = stackalloc byte[16];
        SrtpCipher.Iv(_salt, ssrc, index, iv);
        _aes.Xor(iv, payload);
    }

    /// <summary>RFC 3711 4.2: HMAC-SHA1 over the authenticated portion and the ROC, truncated to 80 bits.</summary>
    private void Tag(ReadOnlySpan<byte> authenticated, uint roc, Span<byte> tag)
    {
        Span<byte> rocBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(rocBytes, roc);
        Span<byte> full = stackalloc byte[20];
        _hmac.AppendData(authenticated);
        _hmac.AppendData(rocBytes);
        _hmac.GetHashAndReset(full);
        full[..TagLength].CopyTo(tag);
    }

    /// <summary>RFC 3711 Appendix A: the ROC that puts the sequence number closest to the highest one seen.</summary>
    private static uint EstimateRoc(Stream stream, ushort sequence)
    {
        if (!stream.Started)
        {
            return 0;
        }

        var highest = stream.Highest;
        if (highest < 0x8000)
        {
            return sequence - highest > 0x8000 && stream.Roc > 0 ? stream.Roc - 1 : stream.Roc;
        }

        return highest - 0x8000 > sequence ? stream.Roc + 1 : stream.Roc;
    }

    private static bool IsNewer(ushort sequence, ushort than) => (ushort)(sequence - than) is > 0 and < 0x8000;

    private Stream StreamOf(uint ssrc)
    {
        foreach (var s in _streams)
        {
            if (s.Ssrc == ssrc)
            {
                return s;
            }
        }

        if (_streams.Count == MaxStreams)
        {
            _streams.RemoveAt(0);
        }

        var stream = new Stream { Ssrc = ssrc };
        _streams.Add(stream);
        return stream;
    }

    private sealed class Stream
    {
        public uint Ssrc { get; init; }

        public bool Started { get; set; }

        public uint Roc { get; set; }

        /// <summary>The highest sequence number seen (s_l of RFC 3711 Appendix A).</summary>
        public ushort Highest { get; set; }

        /// <summary>The indices received (a receiver's; a sender's stays empty).</summary>
        public SrtpReplayWindow Replay { get; } = new();
    }
}

/// <summary>A packet <see cref="SrtpContext.TryOpen"/> authenticated and decrypted, not yet in the replay window.</summary>
public readonly record struct SrtpOpened(uint Ssrc, uint Roc, ushort Sequence, ulong Index);
