using System.Security.Cryptography;

namespace CallCenter.Telephony.Rtp.Srtp;

/// <summary>
/// The session keys of one direction of SRTP with AES_CM_128_HMAC_SHA1_80 (RFC 3711 4.3, 8.2), derived
/// once from the master key and salt (key derivation rate 0, as SDES offers and every phone uses).
/// </summary>
public sealed class SrtpKeys
{
    public const int MasterKeyLength = 16;
    public const int MasterSaltLength = 14;
    public const int AuthKeyLength = 20;

    // RFC 3711 4.3.2: the labels of the six session keys.
    private const byte RtpEncryption = 0x00;
    private const byte RtpAuthentication = 0x01;
    private const byte RtpSalt = 0x02;
    private const byte RtcpEncryption = 0x03;
    private const byte RtcpAuthentication = 0x04;
    private const byte RtcpSalt = 0x05;

    private SrtpKeys(byte[] masterKey, byte[] masterSalt)
    {
        using var aes = new SrtpCipher(masterKey);
        RtpKey = Derive(aes, masterSalt, RtpEncryption, MasterKeyLength);
        RtpAuth = Derive(aes, masterSalt, RtpAuthentication, AuthKeyLength);
        RtpSaltKey = Derive(aes, masterSalt, RtpSalt, MasterSaltLength);
        RtcpKey = Derive(aes, masterSalt, RtcpEncryption, MasterKeyLength);
        RtcpAuth = Derive(aes, masterSalt, RtcpAuthentication, AuthKeyLength);
        RtcpSaltKey = Derive(aes, masterSalt, RtcpSalt, MasterSaltLength);
    }

    public byte[] RtpKey { get; }

    public byte[] RtpAuth { get; }

    public byte[] RtpSaltKey { get; }

    public byte[] RtcpKey { get; }

    public byte[] RtcpAuth { get; }

    public byte[] RtcpSaltKey { get; }

    /// <summary>The session keys from a 16-byte master key and a 14-byte master salt.</summary>
    public static SrtpKeys Derive(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
    {
        if (masterKey.Length != MasterKeyLength || masterSalt.Length != MasterSaltLength)
        {
            throw new ArgumentException($"AES_CM_128_HMAC_SHA1_80 needs a {MasterKeyLength}-byte master key and a {MasterSaltLength}-byte master salt.");
        }

        return new SrtpKeys(masterKey.ToArray(), masterSalt.ToArray());
    }

    /// <summary>
    /// RFC 3711 4.3.1 and 4.3.3: x = master salt XOR (label || index DIV kdr), with kdr 0 the index
    /// part is zero, so only the label lands, at byte 7 of the 14; then AES-CM keystream from x * 2^16.
    /// </summary>
    private static byte[] Derive(SrtpCipher aes, byte[] masterSalt, byte label, int length)
    {
        Span<byte> iv = stackalloc byte[16];
        masterSalt.CopyTo(iv);
        iv[7] ^= label;
        var output = new byte[length];
        aes.Keystream(iv, output);
        return output;
    }
}
