using System.Buffers.Binary;

namespace CallCenter.Telephony.Media.Audio;

/// <summary>
/// Writes a WAV file as audio arrives (call recordings): the header goes out first with a zero
/// data size, frames are appended, and <see cref="Flush"/>, <see cref="Complete"/> or
/// <see cref="Dispose"/> rewrite the RIFF and data sizes (and the fact chunk for G.711) so the file
/// is valid. Appending allocates nothing. Not thread safe.
/// </summary>
public sealed class WavWriter : IDisposable
{
    private const int ScratchBytes = 4096;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly long _start;
    private readonly byte[] _scratch = new byte[ScratchBytes];
    private long _dataBytes;
    private bool _completed;
    private bool _disposed;

    /// <param name="stream">A writable, seekable stream; the file starts at its current position.</param>
    /// <param name="format">The format to write.</param>
    /// <param name="leaveOpen">Leave the stream open on dispose.</param>
    public WavWriter(Stream stream, WavFormat format, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        format.Validate();
        if (!stream.CanSeek || !stream.CanWrite)
        {
            throw new ArgumentException("The stream must be writable and seekable, so the sizes can be rewritten.", nameof(stream));
        }

        _stream = stream;
        _leaveOpen = leaveOpen;
        Format = format;
        _start = stream.Position;
        var length = WavHeader.Write(_scratch, format, 0);
        _stream.Write(_scratch, 0, length);
    }

    public WavFormat Format { get; }

    /// <summary>Bytes of audio written so far.</summary>
    public long DataBytes => _dataBytes;

    /// <summary>Sample frames written so far.</summary>
    public long FrameCount => _dataBytes / Format.BlockAlign;

    /// <summary>Creates (or replaces) a file at <paramref name="path"/>, readable and writable by this user only (recordings are clients' words).</summary>
    public static WavWriter Create(string path, WavFormat format)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.ReadWrite, Share = FileShare.Read, BufferSize = 64 * 1024 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var stream = new FileStream(path, options);
        try
        {
            return new WavWriter(stream, format);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Appends interleaved 16-bit samples (a whole number of frames).</summary>
    public void WriteSamples(ReadOnlySpan<short> interleaved)
    {
        EnsurePcm16();
        if (interleaved.Length % Format.Channels != 0)
        {
            throw new ArgumentException($"{interleaved.Length} samples is not a whole number of {Format.Channels}-channel frames.", nameof(interleaved));
        }

        Reserve(interleaved.Length * 2L);
        if (BitConverter.IsLittleEndian)
        {
            _stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(interleaved));
            return;
        }

        while (!interleaved.IsEmpty)
        {
            var count = Math.Min(interleaved.Length, ScratchBytes / 2);
            for (var i = 0; i < count; i++)
            {
                BinaryPrimitives.WriteInt16LittleEndian(_scratch.AsSpan(2 * i), interleaved[i]);
            }

            _stream.Write(_scratch, 0, count * 2);
            interleaved = interleaved[count..];
        }
    }

    /// <summary>Appends two mono frames of equal length as stereo: <paramref name="left"/> (caller), <paramref name="right"/> (agent).</summary>
    public void WriteStereo(ReadOnlySpan<short> left, ReadOnlySpan<short> right)
    {
        EnsurePcm16();
        if (Format.Channels != 2)
        {
            throw new InvalidOperationException($"Stereo frames need a 2-channel writer; this one has {Format.Channels}.");
        }

        if (left.Length != right.Length)
        {
            throw new ArgumentException($"Left has {left.Length} samples, right {right.Length}; they must match.", nameof(right));
        }

        Reserve(left.Length * 4L);
        while (!left.IsEmpty)
        {
            var count = Math.Min(left.Length, ScratchBytes / 4);
            for (var i = 0; i < count; i++)
            {
                BinaryPrimitives.WriteInt16LittleEndian(_scratch.AsSpan(4 * i), left[i]);
                BinaryPrimitives.WriteInt16LittleEndian(_scratch.AsSpan((4 * i) + 2), right[i]);
            }

            _stream.Write(_scratch, 0, count * 4);
            left = left[count..];
            right = right[count..];
        }
    }

    /// <summary>Appends data as stored in the file (G.711 codes, or little-endian PCM bytes), whole frames.</summary>
    public void WriteEncoded(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (data.Length % Format.BlockAlign != 0)
        {
            throw new ArgumentException($"{data.Length} bytes is not a whole number of {Format.BlockAlign}-byte frames.", nameof(data));
        }

        Reserve(data.Length);
        _stream.Write(data);
    }

    /// <summary>Rewrites the sizes for what has been written so far and flushes, so a crash later still leaves a valid file.</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        RewriteHeader(pad: false);
        _stream.Flush();
    }

    /// <summary>Pads the data to an even length, rewrites the sizes and flushes. Further writes throw.</summary>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            return;
        }

        _completed = true;
        RewriteHeader(pad: true);
        _stream.Flush();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            Complete();
        }
        finally
        {
            _disposed = true;
            if (!_leaveOpen)
            {
                _stream.Dispose();
            }
        }
    }

    private void EnsurePcm16()
    {
        if (Format.Encoding != WavEncoding.Pcm16)
        {
            throw new InvalidOperationException($"This writer writes {Format.Encoding}; use WriteEncoded.");
        }
    }

    private void Reserve(long bytes)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            throw new InvalidOperationException("The WAV file is complete; nothing more can be written.");
        }

        if (_dataBytes + bytes > WavHeader.MaxDataBytes)
        {
            throw new InvalidOperationException("A WAV file cannot hold more than 4 GiB of data.");
        }

        _dataBytes += bytes;
    }

    private void RewriteHeader(bool pad)
    {
        var end = _start + WavHeader.SizeFor(Format) + _dataBytes;
        if (pad && (_dataBytes & 1) != 0)
        {
            _stream.Position = end;
            _stream.WriteByte(0);
            end++;
        }

        var length = WavHeader.Write(_scratch, Format, _dataBytes);
        _stream.Position = _start;
        _stream.Write(_scratch, 0, length);
        _stream.Position = end;
    }
}
