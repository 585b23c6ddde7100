using System.Collections.Frozen;
using CallCenter.Telephony.Media;
using CallCenter.Telephony.Media.Audio;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// Every prompt under config/prompts/&lt;lang&gt;/*.wav, read once at start-up and encoded in both
/// G.711 laws (8 kHz mono: what scripts/generate-prompts.sh writes). A file in another format stops
/// start-up with its name. Music on hold is the prompt "moh" of any language. Announcements uploaded
/// at run time play as the prompt <c>announcement-&lt;id&gt;</c> in any language, from the audio the
/// notices room loaded into memory when the flow asked for the current ones (never a database wait here).
/// </summary>
internal sealed class PromptLibrary
{
    private const string MusicOnHoldName = "moh";
    private const string AnnouncementPrefix = "announcement-";
    private const int MaxAnnouncementClips = 64;
    private readonly FrozenDictionary<string, AudioClip> _clips;
    private readonly FrozenDictionary<string, AudioClip>.AlternateLookup<ReadOnlySpan<char>> _byKey;
    private readonly AudioClip _silence = new("silence", new short[160]);
    private readonly Contracts.Notices.IAnnouncements? _announcements;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, AudioClip> _announcementClips = new();

    public PromptLibrary(string promptRoot, Contracts.Notices.IAnnouncements? announcements = null)
    {
        _announcements = announcements;
        var clips = new Dictionary<string, AudioClip>(StringComparer.Ordinal);
        if (Directory.Exists(promptRoot))
        {
            foreach (var file in Directory.EnumerateFiles(promptRoot, "*.wav", SearchOption.AllDirectories))
            {
                var language = Path.GetFileName(Path.GetDirectoryName(file)!);
                var name = Path.GetFileNameWithoutExtension(file);
                WavAudio audio;
                try
                {
                    audio = WavFile.Read(file);
                }
                catch (InvalidDataException e)
                {
                    throw new Ivr.Flows.IvrFlowException($"{file}: {e.Message}");
                }

                if (audio.Format.SampleRate != 8000 || audio.Format.Channels != 1)
                {
                    throw new Ivr.Flows.IvrFlowException($"{file}: prompts must be 8 kHz mono, not {audio.Format.SampleRate} Hz with {audio.Format.Channels} channels.");
                }

                clips[Key(language, name)] = new AudioClip(language + "/" + name, audio.ToLinear());
            }
        }

        _clips = clips.ToFrozenDictionary(StringComparer.Ordinal);
        _byKey = _clips.GetAlternateLookup<ReadOnlySpan<char>>();
        MusicOnHold = _clips.Values.FirstOrDefault(c => c.Name.EndsWith("/" + MusicOnHoldName, StringComparison.Ordinal));
    }

    public int Count => _clips.Count;

    public AudioClip? MusicOnHold { get; }

    /// <summary>
    /// The prompt; silence for a name that does not exist (flows are checked against the catalog at start-up).
    /// Looked up by a key built on the stack: every prompt the IVR plays and every waiting caller's announcement
    /// (a round of them every <c>Routing:AnnouncementSeconds</c>) takes this path, so it allocates nothing.
    /// </summary>
    public AudioClip Get(string language, string name)
    {
        var length = language.Length + 1 + name.Length;
        Span<char> key = length <= 256 ? stackalloc char[length] : new char[length];
        language.CopyTo(key);
        key[language.Length] = '/';
        name.CopyTo(key[(language.Length + 1)..]);
        return _byKey.TryGetValue(key, out var clip) ? clip : Announcement(name) ?? _silence;
    }

    /// <summary>The clips of prompts to play back to back, as the IVR and the queue announcements name them.</summary>
    public IReadOnlyList<AudioClip> Get(IEnumerable<Ivr.Prompts.IvrPrompt> prompts)
    {
        if (prompts is not IReadOnlyList<Ivr.Prompts.IvrPrompt> list)
        {
            return [.. prompts.Select(p => Get(p.Language, p.Name))];
        }

        var clips = new AudioClip[list.Count];
        for (var i = 0; i < clips.Length; i++)
        {
            clips[i] = Get(list[i].Language, list[i].Name);
        }

        return clips;
    }

    private static string Key(string language, string name) => language + "/" + name;

    /// <summary>An announcement's clip, encoded once per id (its audio never changes under the id).</summary>
    private AudioClip? Announcement(string name)
    {
        if (_announcements is null || !name.StartsWith(AnnouncementPrefix, StringComparison.Ordinal)
            || !long.TryParse(name.AsSpan(AnnouncementPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }

        if (_announcementClips.TryGetValue(id, out var clip))
        {
            return clip;
        }

        if (_announcements.AudioOf(id) is not { } samples)
        {
            return null;
        }

        if (_announcementClips.Count >= MaxAnnouncementClips)
        {
            _announcementClips.Clear();
        }

        return _announcementClips.GetOrAdd(id, _ => new AudioClip(name, samples));
    }
}
