namespace CallCenter.Contracts.Notices;

/// <summary>An announcement (信息发布) playing now: its id names its audio for <see cref="IAnnouncements.AudioOf"/>.</summary>
public sealed record CurrentAnnouncement(long Id, string Title, string Language, TimeSpan Duration);

/// <summary>
/// The announcements the hotline's notices menu plays: those whose start has come and whose end has
/// not, in the caller's language, newest first. Owned by src/Notices (an admin uploads a recording or
/// types a text); the IVR asks for the current list off the call's loop, then plays each one's audio,
/// which <see cref="CurrentAsync"/> has loaded into memory so the call's loop never waits on the database.
/// </summary>
public interface IAnnouncements
{
    /// <summary>The current announcements in <paramref name="language"/> (zh | en), newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<CurrentAnnouncement>> CurrentAsync(string language, int limit, CancellationToken cancellationToken);

    /// <summary>An announcement's audio, 8 kHz mono 16-bit linear samples, if <see cref="CurrentAsync"/> loaded it; never blocks.</summary>
    short[]? AudioOf(long id);
}
