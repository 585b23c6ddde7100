using System.Globalization;
using System.Security.Cryptography;
using CallCenter.Telephony.Rtp.Srtp;

namespace CallCenter.Telephony.Sdp;

/// <summary>
/// One <c>a=crypto</c> attribute of SDES (RFC 4568 9.1): a tag, the suite, and the sender's master key
/// and salt inline. Only AES_CM_128_HMAC_SHA1_80 is taken (RFC 4568 6.2.1); a key with a lifetime or an
/// MKI is taken only when the lifetime is the suite's default maximum and the MKI is absent, because
/// re-keying by MKI is not supported. The key travels in the SDP, so SDES is only as private as the
/// signalling: it is offered and accepted on SIP over TLS only (RFC 4568 8.3, <see cref="SdesNegotiation"/>).
/// </summary>
public sealed record SdesCrypto(int Tag, byte[] MasterKey, byte[] MasterSalt)
{
    public const string Suite = "AES_CM_128_HMAC_SHA1_80";

    /// <summary>A fresh key and salt from a cryptographic random source, for our offer or answer.</summary>
    public static SdesCrypto Create(int tag) =>
        new(tag, RandomNumberGenerator.GetBytes(SrtpKeys.MasterKeyLength), RandomNumberGenerator.GetBytes(SrtpKeys.MasterSaltLength));

    /// <summary>Reads the value of an <c>a=crypto:</c> line (after the colon); null when it is not one we can use.</summary>
    public static SdesCrypto? TryParse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 3
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var tag) || tag is < 0 or > 999_999_999
            || parts[1] != Suite
            || !parts[2].StartsWith("inline:", StringComparison.Ordinal))
        {
            return null;
        }

        // Several keys (';'-separated) would need MKIs: the first alone, and only without lifetime or MKI.
        var keyParams = parts[2]["inline:".Length..].Split(';')[0].Split('|');
        if (keyParams.Length > 2 || (keyParams.Length == 2 && keyParams[1] is not ("2^31" or "2147483648")))
        {
            return null;
        }

        Span<byte> material = stackalloc byte[SrtpKeys.MasterKeyLength + SrtpKeys.MasterSaltLength];
        if (!Convert.TryFromBase64String(keyParams[0], material, out var written) || written != material.Length)
        {
            return null;
        }

        return new SdesCrypto(tag, material[..SrtpKeys.MasterKeyLength].ToArray(), material[SrtpKeys.MasterKeyLength..].ToArray());
    }

    /// <summary>The value of our <c>a=crypto:</c> line.</summary>
    public string Format() =>
        string.Create(CultureInfo.InvariantCulture, $"{Tag} {Suite} inline:{Convert.ToBase64String([.. MasterKey, .. MasterSalt])}");

    /// <summary>The SRTP keys for the direction this key protects.</summary>
    public SrtpKeys Keys() => SrtpKeys.Derive(MasterKey, MasterSalt);

    /// <summary>The master key and salt, for the RTP session.</summary>
    public SrtpMaster Master => new(MasterKey, MasterSalt);
}
