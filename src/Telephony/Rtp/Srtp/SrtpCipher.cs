using System.Security.Cryptography;

namespace CallCenter.Telephony.Rtp.Srtp;

/// <summary>
/// AES in counter mode as SRTP uses it (RFC 3711 4.1.1): the 128-bit IV, its low 16 bits counting
/// blocks. One AES key schedule and one ECB transform for the cipher's life (the one-shot
/// <c>EncryptEcb</c> builds a native context per call: about 20 µs and 64 bytes a packet here), and
/// scratch blocks of its own, so it allocates nothing per packet. Not thread-safe: one per context.
/// </summary>
internal sealed class SrtpCipher : IDisposable
{
    private const int Block = 16;

    // Counter blocks encrypted per transform call; an RTP payload of 160 bytes is 10 blocks.
    private const int BlocksAtOnce = 16;

    private readonly Aes _aes;
    private readonly ICryptoTransform _ecb;
    private readonly byte[] _counters = new byte[Block * BlocksAtOnce];
    private readonly byte[] _stream = new byte[Block * BlocksAtOnce];

    public SrtpCipher(ReadOnlySpan<byte> key)
    {
        _aes = Aes.Create();
        _aes.Key = key.ToArray();
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _ecb = _aes.CreateEncryptor();
    }

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
    public void Keystream(ReadOnlySpan<byte> iv, Span<byte> output)
    {
        output.Clear();
        Xor(iv, output);
    }

    /// <summary>XORs the keystream from <paramref name="iv"/> into <paramref name="data"/> (encrypts or decrypts).</summary>
    public void Xor(ReadOnlySpan<byte> iv, Span<byte> data)
    {
        var block = 0;
        while (data.Length > 0)
        {
            var blocks = Math.Min(BlocksAtOnce, (data.Length + Block - 1) / Block);
            for (var i = 0; i < blocks; i++, block++)
            {
                var counter = _counters.AsSpan(i * Block, Block);
                iv.CopyTo(counter);

                // The block number is added to the IV's last 16 bits (RFC 3711 4.1.1: at most 2^16 blocks a packet).
                var low = (ushort)((iv[14] << 8 | iv[15]) + block);
                counter[14] = (byte)(low >> 8);
                counter[15] = (byte)low;
            }

            var bytes = blocks * Block;
            _ecb.TransformBlock(_counters, 0, bytes, _stream, 0);
            var n = Math.Min(bytes, data.Length);
            for (var i = 0; i < n; i++)
            {
                data[i] ^= _stream[i];
            }

            data = data[n..];
        }
    }

    public void Dispose()
    {
        _ecb.Dispose();
        _aes.Dispose();
    }
}
