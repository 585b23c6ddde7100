using System.Security.Cryptography;

namespace CallCenter.Telephony.Rtp.Srtp;

/// <summary>AES in counter mode as SRTP uses it (RFC 3711 4.1.1): the 128-bit IV, its low 16 bits counting blocks.</summary>
internal static class SrtpCipher
{
    private const int Block = 16;

    // Counter blocks encrypted per call to AES; an RTP payload of 160 bytes is 10 blocks.
    private const int BlocksAtOnce = 16;

    /// <summary>
    /// RFC 3711 4.1.1: IV = (salt * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16); the index is the RTP
    /// packet's 48-bit index, or SRTCP's 31-bit index.
    /// </summary>
    public static void Iv(ReadOnlySpan<byte> salt, uint ssrc, ulong index, Span<byte> iv)
    {
        iv.Clear();
        salt.CopyTo(iv);
        iv[4] ^= (byte)(ssrc >> 24);
        iv[5] ^= (byte)(ssrc >> 16);
        iv[6] ^= (byte)(ssrc >> 8);
        iv[7] ^= (byte)ssrc;
        for (var i = 0; i < 6; i++)
        {
            iv[13 - i] ^= (byte)(index >> (8 * i));
        }
    }

    /// <summary>Writes the keystream from <paramref name="iv"/> into <paramref name="output"/>.</summary>
    public static void Keystream(Aes aes, ReadOnlySpan<byte> iv, Span<byte> output)
    {
        output.Clear();
        Xor(aes, iv, output);
    }

    /// <summary>XORs the keystream from <paramref name="iv"/> into <paramref name="data"/> (encrypts or decrypts).</summary>
    public static void Xor(Aes aes, ReadOnlySpan<byte> iv, Span<byte> data)
    {
        Span<byte> counters = stackalloc byte[Block * BlocksAtOnce];
        Span<byte> stream = stackalloc byte[Block * BlocksAtOnce];
        var block = 0;
        while (data.Length > 0)
        {
            var blocks = Math.Min(BlocksAtOnce, (data.Length + Block - 1) / Block);
            for (var i = 0; i < blocks; i++, block++)
            {
                var counter = counters.Slice(i * Block, Block);
                iv.CopyTo(counter);

                // The block number is added to the IV's last 16 bits (RFC 3711 4.1.1: at most 2^16 blocks a packet).
                var low = (ushort)((iv[14] << 8 | iv[15]) + block);
                counter[14] = (byte)(low >> 8);
                counter[15] = (byte)low;
            }

            var bytes = blocks * Block;
            aes.EncryptEcb(counters[..bytes], stream[..bytes], PaddingMode.None);
            var n = Math.Min(bytes, data.Length);
            for (var i = 0; i < n; i++)
            {
                data[i] ^= stream[i];
            }

            data = data[n..];
        }
    }
}
