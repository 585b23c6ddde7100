using System.Buffers;
using System.Security.Cryptography;
using System.Threading.Channels;
using CallCenter.Telephony.Codecs;
using CallCenter.Telephony.Media.Audio;
using CallCenter.Telephony.Rtp;

namespace CallCenter.Telephony.Media;

/// <summary>
/// Records a bridged call as a stereo 16-bit WAV: the left channel is what one leg sends (the
/// caller's voice, sent to the agent), the right what the other sends (the agent's voice, sent to
/// the caller). Both legs tick on the same media clock, so their frames pair up one for one and
/// the file lasts as long as the bridge. The clock's thread only decodes and interleaves into
/// memory; a background task writes half-second blocks to disk, so a slow disk never delays media.
/// While <see cref="Muted"/> (a masked entry such as a PIN) silence is recorded on both channels.
/// Started from the answer (<see cref="StartFromAnswer"/>), before any agent, the left channel is
/// what the caller's leg receives (the caller in the IVR) until an agent's leg takes its place.
/// </summary>
public sealed class StereoRecorder : IRtpFrameTap, IRtpReceiveTap
{
    private const int SampleRate = 8000;
    private const int BlockFrames = SampleRate / 2;
    private const int BlocksPerHeaderUpdate = 2;

    // How far one channel may run ahead of the other (a leg that stopped ticking) before the
    // other is taken as silent: one second.
    private const int MaxSkewSamples = SampleRate;

    private readonly Lock _gate = new();
    private RtpSession? _left;
    private RtpSession _right;

    // The leg whose received audio is the left channel of a recording from the answer (the caller's, the first right).
    private readonly RtpSession _receiving;
    private readonly WavWriter _writer;
    private readonly Channel<(short[] Samples, int Length)> _blocks = Channel.CreateUnbounded<(short[], int)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writing;
    private readonly SampleRing _leftPending = new();
    private readonly SampleRing _rightPending = new();
    private short[] _block = ArrayPool<short>.Shared.Rent(BlockFrames * 2);
    private int _blockFrames;
    private long _frames;
    private bool _completed;
    private volatile bool _muted;
    private bool _leftFromReceive;

    private StereoRecorder(string path, RtpSession? left, RtpSession right, WavWriter writer)
    {
        Path = path;
        _left = left;
        _right = right;
        _receiving = right;
        _writer = writer;
        _writing = Task.Run(WriteBlocksAsync);
    }

    public string Path { get; }

    /// <summary>Record silence instead of the audio (a masked entry is in progress).</summary>
    public bool Muted
    {
        get => _muted;
        set => _muted = value;
    }

    /// <summary>Seconds recorded so far.</summary>
    public double Seconds => Interlocked.Read(ref _frames) / (double)SampleRate;

    /// <summary>Creates the file (and its directory) and taps both legs.</summary>
    public static StereoRecorder Start(string path, RtpSession left, RtpSession right)
    {
        ArgumentNullException.ThrowIfNull(left);
        return Create(path, left, right);
    }

    /// <summary>
    /// Records a call from its answer: the right channel what <paramref name="caller"/> hears (the
    /// IVR's prompts), the left what it receives (the caller's voice), until <see cref="ReplaceLeft"/>
    /// gives the left channel to an agent's leg.
    /// </summary>
    public static StereoRecorder StartFromAnswer(string path, RtpSession caller)
    {
        var recorder = Create(path, null, caller);
        lock (recorder._gate)
        {
            recorder._leftFromReceive = true;
        }

        caller.ReceiveTap = recorder;
        return recorder;
    }

    private static StereoRecorder Create(string path, RtpSession? left, RtpSession right)
    {
        ArgumentNullException.ThrowIfNull(right);
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            // A folder the platform creates for recordings is its user's alone; an existing one is the operator's choice.
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var recorder = new StereoRecorder(path, left, right, WavWriter.Create(path, WavFormat.Recording));
        left?.Tap = recorder;
        right.Tap = recorder;
        return recorder;
    }

    /// <summary>
    /// The left channel's leg changes (the call was transferred to another agent): the old leg is
    /// untapped, and until <paramref name="left"/> (null: none yet) produces frames the left
    /// channel is padded with silence so both stay in time.
    /// </summary>
    public void ReplaceLeft(RtpSession? left)
    {
        lock (_gate)
        {
            if (_left is { } old && old.Tap == this)
            {
                old.Tap = null;
            }

            _left = left;
            if (left is not null && !_completed)
            {
                left.Tap = this;
            }
        }
    }

    /// <summary>
    /// The right channel's leg changes: a consultation puts what the consulted party hears (the agent) there
    /// while the caller is on hold, and the caller's leg comes back when it ends. The old leg is untapped; the
    /// channels stay in time as with <see cref="ReplaceLeft"/>.
    /// </summary>
    public void ReplaceRight(RtpSession right)
    {
        ArgumentNullException.ThrowIfNull(right);
        lock (_gate)
        {
            if (ReferenceEquals(right, _right))
            {
                return; // untapping it for a moment could lose a frame of its channel
            }

            if (_right.Tap == this)
            {
                _right.Tap = null;
            }

            _right = right;
            if (!_completed)
            {
                right.Tap = this;
            }
        }
    }

    public void OnFrame(RtpSession session, ReadOnlySpan<byte> payload)
    {
        var law = session.Format.Law;
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            var pending = session == _left ? _leftPending : session == _right ? _rightPending : null;
            if (pending is null)
            {
                return;
            }

            if (_left is null && session == _right && !_leftFromReceive)
            {
                // No agent leg (between two agents): the left channel is silent, in step.
                _leftPending.AddSilence(payload.Length);
            }

            pending.Add(payload, law, _muted);

            Pair(flushAll: false);
        }
    }

    /// <summary>The caller's leg received audio while no agent's leg is on the left channel: it is the left channel.</summary>
    public void OnReceived(RtpSession session, ReadOnlySpan<byte> payload)
    {
        var law = session.Format.Law;
        lock (_gate)
        {
            if (_completed || session != _receiving || _left is not null || !_leftFromReceive)
            {
                return;
            }

            _leftPending.Add(payload, law, _muted);
            Pair(flushAll: false);
        }
    }

    /// <summary>
    /// Stops recording: untaps the legs, writes what is buffered (the shorter channel padded with
    /// silence), closes the file and returns its SHA-256 (lower-case hex) and length in seconds.
    /// </summary>
    public async Task<(string Sha256, double Seconds)> CompleteAsync()
    {
        if (_left is { } left && left.Tap == this)
        {
            left.Tap = null;
        }

        if (_right.Tap == this)
        {
            _right.Tap = null;
        }

        if (_receiving.ReceiveTap == this)
        {
            _receiving.ReceiveTap = null;
        }

        lock (_gate)
        {
            if (!_completed)
            {
                _completed = true;
                Pair(flushAll: true);
                FlushBlock();
                _blocks.Writer.TryComplete();
            }
        }

        await _writing;
        await using var file = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
        var hash = await SHA256.HashDataAsync(file);
        return (Convert.ToHexStringLower(hash), Seconds);
    }

    private void Pair(bool flushAll)
    {
        while (true)
        {
            // Both channels have audio: pair as much as both hold. One is empty: pad it with
            // silence only at the end or when the other has run a second ahead (its leg stopped).
            var both = Math.Min(_leftPending.Count, _rightPending.Count);
            var padded = both > 0 ? 0
                : flushAll || Math.Abs(_leftPending.Count - _rightPending.Count) > MaxSkewSamples ? Math.Max(_leftPending.Count, _rightPending.Count)
                : 0;
            var count = Math.Min(both > 0 ? both : padded, BlockFrames - _blockFrames);
            if (count == 0)
            {
                return;
            }

            var frames = _block.AsSpan(2 * _blockFrames, 2 * count);
            _leftPending.TakeInto(frames, 0);
            _rightPending.TakeInto(frames, 1);
            _blockFrames += count;
            Interlocked.Add(ref _frames, count);
            if (_blockFrames == BlockFrames)
            {
                FlushBlock();
            }
        }
    }

    private void FlushBlock()
    {
        if (_blockFrames == 0)
        {
            return;
        }

        // Blocks come from the shared pool and go back once written: recording allocates nothing per call-second.
        _blocks.Writer.TryWrite((_block, 2 * _blockFrames));
        _block = ArrayPool<short>.Shared.Rent(BlockFrames * 2);
        _blockFrames = 0;
    }

    private async Task WriteBlocksAsync()
    {
        try
        {
            var blocks = 0L;
            await foreach (var (samples, length) in _blocks.Reader.ReadAllAsync())
            {
                _writer.WriteSamples(samples.AsSpan(0, length));
                ArrayPool<short>.Shared.Return(samples);

                // Every second of audio the sizes are rewritten and the buffer handed to the OS, so a
                // process killed mid-call leaves a valid file missing at most the last second.
                if (++blocks % BlocksPerHeaderUpdate == 0)
                {
                    _writer.Flush();
                }
            }
        }
        finally
        {
            _writer.Dispose();
        }
    }

    /// <summary>
    /// One channel's decoded samples waiting for the other channel's, oldest first: a ring of a
    /// power-of-two size (more than twice the skew limit), so positions wrap with a mask. Runs for
    /// every relayed packet: no per-sample division or call.
    /// </summary>
    private sealed class SampleRing
    {
        private const int Capacity = 16384; // > 2 * MaxSkewSamples
        private const int Mask = Capacity - 1;
        private readonly short[] _samples = new short[Capacity];
        private int _head;

        public int Count { get; private set; }

        public void Add(ReadOnlySpan<byte> codes, G711Law law, bool silent)
        {
            Span<short> pcm = stackalloc short[Math.Min(codes.Length, 1024)];
            while (!codes.IsEmpty)
            {
                var part = pcm[..Math.Min(codes.Length, pcm.Length)];
                if (silent)
                {
                    part.Clear();
                }
                else
                {
                    G711.Decode(codes[..part.Length], part, law);
                }

                Push(part);
                codes = codes[part.Length..];
            }
        }

        public void AddSilence(int count)
        {
            Span<short> zeros = stackalloc short[Math.Min(count, 1024)];
            zeros.Clear();
            for (; count > 0; count -= zeros.Length)
            {
                Push(zeros[..Math.Min(count, zeros.Length)]);
            }
        }

        /// <summary>Moves the oldest samples into every other slot of <paramref name="frames"/> from <paramref name="channel"/> (0 or 1); silence where this channel has fewer.</summary>
        public void TakeInto(Span<short> frames, int channel)
        {
            var wanted = frames.Length / 2;
            var taken = Math.Min(wanted, Count);
            for (var i = 0; i < taken; i++)
            {
                frames[(2 * i) + channel] = _samples[(_head + i) & Mask];
            }

            for (var i = taken; i < wanted; i++)
            {
                frames[(2 * i) + channel] = 0;
            }

            _head = (_head + taken) & Mask;
            Count -= taken;
        }

        // Full only when the other channel has stalled far beyond the skew limit: the oldest go.
        private void Push(ReadOnlySpan<short> samples)
        {
            var overflow = Count + samples.Length - Capacity;
            if (overflow > 0)
            {
                _head = (_head + overflow) & Mask;
                Count -= overflow;
            }

            var tail = (_head + Count) & Mask;
            var first = Math.Min(samples.Length, Capacity - tail);
            samples[..first].CopyTo(_samples.AsSpan(tail));
            samples[first..].CopyTo(_samples);
            Count += samples.Length;
        }
    }
}
