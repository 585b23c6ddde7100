using System.Collections.Concurrent;
using CallCenter.Contracts.Notices;

namespace CallCenter.Notices;

/// <summary>
/// The notices menu's side of announcements (<see cref="IAnnouncements"/>): the current ones from the
/// store, their audio loaded into memory before the list is answered, so the call's loop that plays
/// them next finds it without waiting. An announcement's audio never changes under its id, so what is
/// loaded stays right; the cache is emptied when it grows past <see cref="MaxCached"/>.
/// </summary>
public sealed class Announcements(AnnouncementStore store, TimeProvider time) : IAnnouncements
{
    public const int MaxCached = 64;

    private readonly ConcurrentDictionary<long, short[]> _audio = new();

    public async Task<IReadOnlyList<CurrentAnnouncement>> CurrentAsync(string language, int limit, CancellationToken cancellationToken)
    {
        var current = await store.CurrentAsync(language, time.GetUtcNow(), limit, cancellationToken);
        if (_audio.Count + current.Count > MaxCached)
        {
            _audio.Clear();
        }

        var loaded = new List<CurrentAnnouncement>(current.Count);
        foreach (var announcement in current)
        {
            if (!_audio.ContainsKey(announcement.Id))
            {
                if (await store.AudioAsync(announcement.Id, cancellationToken) is not { } audio)
                {
                    continue;
                }

                _audio[announcement.Id] = audio;
            }

            loaded.Add(announcement);
        }

        return loaded;
    }

    public short[]? AudioOf(long id) => _audio.GetValueOrDefault(id);
}
