using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace CallCenter.Telephony.Sip.Auth;

/// <summary>What a nonce turned out to be.</summary>
internal enum NonceState
{
    /// <summary>Not issued by this server (bad syntax or a wrong MAC): challenge afresh, not stale.</summary>
    Invalid,

    /// <summary>Ours and within its lifetime.</summary>
    Valid,

    /// <summary>Ours but past its lifetime: with a correct response, challenge with stale=true (RFC 7616 3.3).</summary>
    Expired,
}

/// <summary>
/// Stateless, unforgeable nonces (RFC 7616 3.3, 5.4): base64url(timestamp ‖ random ‖
/// HMAC-SHA256(secret, timestamp ‖ random ‖ realm)). The server keeps no table of issued nonces; the
/// MAC proves a nonce is ours and for this realm, and the timestamp says how old it is. Nodes that
/// share the secret (<c>Sip:NonceSecret</c>) accept each other's nonces, so a REGISTER challenged by
/// one node may be answered at another. A random secret lives only in memory: a restart turns
/// outstanding nonces into plain 401s and phones simply answer the new challenge.
/// </summary>
internal sealed class SipNonceService
{
    private const int TimestampLength = 8;
    private const int RandomLength = 16;
    private const int MacLength = HMACSHA256.HashSizeInBytes;
    private const int RawLength = TimestampLength + RandomLength + MacLength;

    private readonly byte[] _secret;
    private readonly byte[] _realm;

    public SipNonceService(TimeSpan lifetime, ReadOnlySpan<byte> secret, string realm = "")
    {
        ArgumentNullException.ThrowIfNull(realm);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        if (secret.Length < 16)
        {
            throw new ArgumentException("The nonce secret needs at least 16 bytes.", nameof(secret));
        }

        Lifetime = lifetime;
        _secret = secret.ToArray();
        _realm = System.Text.Encoding.UTF8.GetBytes(realm);
        Opaque = Base64Url.EncodeToString(HMACSHA256.HashData(_secret, "opaque"u8)[..12]);
    }

    public TimeSpan Lifetime { get; }

    /// <summary>The opaque value of every challenge from this server (RFC 7616 3.3); constant per secret.</summary>
    public string Opaque { get; }

    public string Create(DateTimeOffset now)
    {
        Span<byte> raw = stackalloc byte[RawLength];
        BinaryPrimitives.WriteInt64BigEndian(raw, now.ToUnixTimeMilliseconds());
        RandomNumberGenerator.Fill(raw.Slice(TimestampLength, RandomLength));
        Mac(raw[..(TimestampLength + RandomLength)], raw[(TimestampLength + RandomLength)..]);
        return Base64Url.EncodeToString(raw);
    }

    /// <summary>Checks the MAC and the age of <paramref name="nonce"/>; <paramref name="issuedAt"/> is set when it is ours.</summary>
    public NonceState Check(string nonce, DateTimeOffset now, out DateTimeOffset issuedAt)
    {
        issuedAt = default;
        Span<byte> raw = stackalloc byte[RawLength];
        if (nonce.Length != Base64Url.GetEncodedLength(RawLength)
            || !Base64Url.TryDecodeFromChars(nonce, raw, out var written)
            || written != RawLength)
        {
            return NonceState.Invalid;
        }

        Span<byte> expected = stackalloc byte[MacLength];
        Mac(raw[..(TimestampLength + RandomLength)], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, raw[(TimestampLength + RandomLength)..]))
        {
            return NonceState.Invalid;
        }

        var milliseconds = BinaryPrimitives.ReadInt64BigEndian(raw);
        if (milliseconds < 0 || milliseconds > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return NonceState.Invalid;
        }

        issuedAt = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
        return now - issuedAt > Lifetime ? NonceState.Expired : NonceState.Valid;
    }

    /// <summary>HMAC-SHA256(secret, timestamp ‖ random ‖ realm): a nonce of another realm does not verify here.</summary>
    private void Mac(ReadOnlySpan<byte> stamped, Span<byte> destination)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _secret);
        hmac.AppendData(stamped);
        hmac.AppendData(_realm);
        hmac.GetHashAndReset(destination);
    }
}
