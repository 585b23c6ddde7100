using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace CallCenter.Telephony.WebRtc;

/// <summary>
/// A STUN message (RFC 5389) as ICE connectivity checks use it: the header, the USERNAME,
/// PRIORITY and USE-CANDIDATE attributes, and where MESSAGE-INTEGRITY and FINGERPRINT sit so they
/// can be checked against the raw bytes. Parsing never throws: a malformed message is null with the reason.
/// </summary>
public sealed class StunMessage
{
    public const int HeaderLength = 20;
    public const uint MagicCookie = 0x2112A442;
    public const ushort BindingRequest = 0x0001;
    public const ushort BindingSuccess = 0x0101;

    internal const ushort Username = 0x0006;
    internal const ushort MessageIntegrity = 0x0008;
    internal const ushort XorMappedAddress = 0x0020;
    internal const ushort Priority = 0x0024;
    internal const ushort UseCandidate = 0x0025;
    internal const ushort Fingerprint = 0x8028;
    internal const ushort IceControlled = 0x8029;
    internal const ushort IceControlling = 0x802A;

    // RFC 5389 15.5: the CRC-32 is XOR-ed with this ("STUN").
    private const uint FingerprintXor = 0x5354554E;

    private StunMessage(ushort type, byte[] transactionId)
    {
        Type = type;
        TransactionId = transactionId;
    }

    public ushort Type { get; }

    /// <summary>The 96-bit transaction id.</summary>
    public byte[] TransactionId { get; }

    public string? UserName { get; private set; }

    public uint? IcePriority { get; private set; }

    /// <summary>RFC 8445 7.1.2: the controlling agent nominates this pair.</summary>
    public bool HasUseCandidate { get; private set; }

    /// <summary>Offset of the MESSAGE-INTEGRITY attribute's header, or -1.</summary>
    public int IntegrityOffset { get; private set; } = -1;

    /// <summary>Offset of the FINGERPRINT attribute's header, or -1.</summary>
    public int FingerprintOffset { get; private set; } = -1;

    /// <summary>RFC 7983 7: a first byte of 0 to 3 is STUN (DTLS is 20 to 63, RTP and RTCP 128 to 191).</summary>
    public static bool LooksLikeStun(ReadOnlySpan<byte> packet) =>
        packet.Length >= HeaderLength && packet[0] <= 3 && BinaryPrimitives.ReadUInt32BigEndian(packet[4..]) == MagicCookie;

    public static StunMessage? TryParse(ReadOnlySpan<byte> packet, out string? error)
    {
        if (!LooksLikeStun(packet))
        {
            error = "not a STUN message (no magic cookie)";
            return null;
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        if (length % 4 != 0 || HeaderLength + length != packet.Length)
        {
            error = $"length {length} does not match the {packet.Length}-byte packet";
            return null;
        }

        var message = new StunMessage(BinaryPrimitives.ReadUInt16BigEndian(packet), packet[8..20].ToArray());
        var offset = HeaderLength;
        while (offset < packet.Length)
        {
            if (packet.Length - offset < 4)
            {
                error = "truncated attribute header";
                return null;
            }

            var type = BinaryPrimitives.ReadUInt16BigEndian(packet[offset..]);
            var valueLength = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]);
            var padded = (valueLength + 3) & ~3;
            if (offset + 4 + padded > packet.Length)
            {
                error = $"attribute 0x{type:x4} runs past the end";
                return null;
            }

            var value = packet.Slice(offset + 4, valueLength);
            if (message.FingerprintOffset >= 0)
            {
                // RFC 5389 15.5: FINGERPRINT is last.
                error = "an attribute after FINGERPRINT";
                return null;
            }

            switch (type)
            {
                case Username when message.IntegrityOffset < 0:
                    message.UserName = Encoding.UTF8.GetString(value);
                    break;
                case Priority when valueLength == 4 && message.IntegrityOffset < 0:
                    message.IcePriority = BinaryPrimitives.ReadUInt32BigEndian(value);
                    break;
                case UseCandidate when message.IntegrityOffset < 0:
                    message.HasUseCandidate = true;
                    break;
                case MessageIntegrity when valueLength == 20 && message.IntegrityOffset < 0:
                    message.IntegrityOffset = offset;
                    break;
                case Fingerprint when valueLength == 4:
                    message.FingerprintOffset = offset;
                    break;
                default:
                    // RFC 5389 15: attributes after MESSAGE-INTEGRITY (but FINGERPRINT) are ignored; unknown optional ones too.
                    break;
            }

            offset += 4 + padded;
        }

        error = null;
        return message;
    }

    /// <summary>RFC 5389 15.4: HMAC-SHA1 with <paramref name="key"/> (ICE: the ice-pwd) over the message up to MESSAGE-INTEGRITY, its length field counting up to MESSAGE-INTEGRITY's end.</summary>
    public bool VerifyIntegrity(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> key)
    {
        if (IntegrityOffset < 0)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[20];
        ComputeIntegrity(packet[..IntegrityOffset], key, expected);
        return CryptographicOperations.FixedTimeEquals(expected, packet.Slice(IntegrityOffset + 4, 20));
    }

    /// <summary>RFC 5389 15.5: the CRC-32 of the message up to FINGERPRINT, XOR 0x5354554E.</summary>
    public bool VerifyFingerprint(ReadOnlySpan<byte> packet) =>
        FingerprintOffset >= 0 && ComputeFingerprint(packet[..FingerprintOffset]) == BinaryPrimitives.ReadUInt32BigEndian(packet[(FingerprintOffset + 4)..]);

    /// <summary>The HMAC of <paramref name="before"/> (the message up to where MESSAGE-INTEGRITY goes) with the length field set as if it ended there.</summary>
    internal static void ComputeIntegrity(ReadOnlySpan<byte> before, ReadOnlySpan<byte> key, Span<byte> hmac)
    {
        var copy = before.ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(2), (ushort)(before.Length - HeaderLength + 24));
        HMACSHA1.HashData(key, copy, hmac);
    }

    /// <summary>The FINGERPRINT value of <paramref name="before"/> (the message up to where FINGERPRINT goes), its length field counting FINGERPRINT.</summary>
    internal static uint ComputeFingerprint(ReadOnlySpan<byte> before)
    {
        var copy = before.ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(2), (ushort)(before.Length - HeaderLength + 8));
        return Crc32.HashToUInt32(copy) ^ FingerprintXor;
    }
}
