using System.Security.Cryptography;

namespace CallCenter.Telephony;

/// <summary>
/// Unpredictable bytes for the identifiers every call makes (SIP tags and branches, RTP's initial sequence,
/// timestamp and SSRC, the platform's call ids), drawn from the system's cryptographic generator a kilobyte at
/// a time per thread. Each draw of <see cref="RandomNumberGenerator"/> is a system call (OpenSSL's fork check, a
/// getpid), four a call; from the buffer it is a copy. The bytes are as unpredictable as the generator's: they
/// are only drawn earlier, kept in this thread's memory and handed out once. Keys (SRTP's master keys, nonces'
/// secrets) still come from the generator directly.
/// </summary>
public static class RandomBytes
{
    private const int BufferSize = 1024;

    [ThreadStatic]
    private static byte[]? _buffer;

    [ThreadStatic]
    private static int _used;

    /// <summary>Fills <paramref name="destination"/> with bytes no earlier or later caller gets.</summary>
    public static void Fill(Span<byte> destination)
    {
        if (destination.Length > BufferSize / 4)
        {
            RandomNumberGenerator.Fill(destination);
            return;
        }

        var buffer = _buffer;
        if (buffer is null || _used + destination.Length > BufferSize)
        {
            buffer = _buffer ??= new byte[BufferSize];
            RandomNumberGenerator.Fill(buffer);
            _used = 0;
        }

        var taken = buffer.AsSpan(_used, destination.Length);
        taken.CopyTo(destination);
        taken.Clear();
        _used += destination.Length;
    }
}
