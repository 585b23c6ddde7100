using CallCenter.Telephony.Codecs;

namespace CallCenter.Telephony.Media;

/// <summary>
/// What a call leg plays: one playback at a time (a list of clips played back to back, as the IVR
/// asks), and when none is playing, the other party of a bridged call (<see cref="SetLive"/>), an
/// optional background loop (music on hold) or silence.
/// <see cref="NextFrame"/> runs on the media clock's thread; <see cref="Play"/> and
/// <see cref="Stop"/> on the call's; a lock keeps them apart (held for a 160-byte copy at most).
/// </summary>
public sealed class MediaPlayer
{
    private readonly object _gate = new();
    private IReadOnlyList<AudioClip> _clips = [];
    private long _playbackId;
    private int _clip;
    private int _offset;
    private AudioClip? _background;
    private int _backgroundOffset;
    private LiveAudio? _live;

    // _live while no playback runs, otherwise null: read without the lock for every relayed packet.
    private LiveAudio? _onlyLive;

    /// <summary>The playback in progress, or 0.</summary>
    public long Current
    {
        get
        {
            lock (_gate)
            {
                return _playbackId;
            }
        }
    }

    /// <summary>Starts <paramref name="clips"/> now, replacing what was playing (which then never reports finished).</summary>
    public void Play(long playbackId, IReadOnlyList<AudioClip> clips)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(playbackId, 0);
        ArgumentNullException.ThrowIfNull(clips);
        lock (_gate)
        {
            _playbackId = playbackId;
            _clips = clips;
            _clip = 0;
            _offset = 0;
            Volatile.Write(ref _onlyLive, null);
        }
    }

    /// <summary>Stops the playback if it is still the current one (barge-in). True when it was.</summary>
    public bool Stop(long playbackId)
    {
        lock (_gate)
        {
            if (_playbackId != playbackId || playbackId == 0)
            {
                return false;
            }

            _playbackId = 0;
            _clips = [];
            Volatile.Write(ref _onlyLive, _live);
            return true;
        }
    }

    /// <summary>Loops <paramref name="clip"/> whenever nothing else plays; null for silence.</summary>
    public void SetBackground(AudioClip? clip)
    {
        lock (_gate)
        {
            _background = clip;
            _backgroundOffset = 0;
        }
    }

    /// <summary>
    /// Plays <paramref name="live"/> (the other party of a bridged call) whenever no playback runs,
    /// ahead of the background; null to stop. While the live source fills after a gap the frame is
    /// silence, not the background, so music never flickers into a conversation.
    /// </summary>
    public void SetLive(LiveAudio? live)
    {
        lock (_gate)
        {
            _live = live;
            Volatile.Write(ref _onlyLive, _playbackId == 0 ? live : null);
        }
    }

    /// <summary>True when nothing but <paramref name="live"/> plays: no playback, and it is the live source.</summary>
    public bool PlaysOnly(LiveAudio live) => ReferenceEquals(Volatile.Read(ref _onlyLive), live);

    /// <summary>
    /// Fills <paramref name="payload"/> with the next frame in <paramref name="law"/>. Returns the id
    /// of a playback that ended with this frame (the caller reports it), otherwise 0.
    /// <paramref name="keepBacklog"/>: see <see cref="LiveAudio.TryRead"/>.
    /// </summary>
    public long NextFrame(Span<byte> payload, G711Law law, bool keepBacklog = false)
    {
        lock (_gate)
        {
            var filled = 0;
            while (filled < payload.Length && _playbackId != 0)
            {
                if (_clip >= _clips.Count)
                {
                    break;
                }

                var source = _clips[_clip].Encoded(law)[_offset..];
                var n = Math.Min(source.Length, payload.Length - filled);
                source[..n].CopyTo(payload[filled..]);
                filled += n;
                _offset += n;
                if (_offset >= _clips[_clip].Samples)
                {
                    _clip++;
                    _offset = 0;
                }
            }

            long finished = 0;
            if (_playbackId != 0 && _clip >= _clips.Count)
            {
                finished = _playbackId;
                _playbackId = 0;
                _clips = [];
                Volatile.Write(ref _onlyLive, _live);
            }

            if (filled == 0 && finished == 0 && _playbackId == 0 && _live is { } live)
            {
                if (!live.TryRead(payload, law, keepBacklog))
                {
                    payload.Fill(G711.Silence(law));
                }

                return 0;
            }

            if (filled < payload.Length && finished == 0 && _playbackId == 0 && _background is { Samples: > 0 } loop)
            {
                while (filled < payload.Length)
                {
                    var source = loop.Encoded(law)[_backgroundOffset..];
                    var n = Math.Min(source.Length, payload.Length - filled);
                    source[..n].CopyTo(payload[filled..]);
                    filled += n;
                    _backgroundOffset = (_backgroundOffset + n) % loop.Samples;
                }
            }

            payload[filled..].Fill(G711.Silence(law));
            return finished;
        }
    }
}
