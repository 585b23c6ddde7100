using System.Globalization;
using System.Security.Cryptography;
using CallCenter.Data.Calls;
using Microsoft.Extensions.Logging;

namespace CallCenter.AgentDesk.Recordings;

/// <summary>
/// Opens a call's recording for a supervisor only after checking it: the record exists, has a recording
/// that retention has not deleted and that nobody flagged, the file lies inside the recordings directory,
/// and its SHA-256 now equals the one written when the call ended. A file that changed is flagged on the
/// call record (and so refused from then on) and logged as an error.
/// <para>
/// A player seeking in a long recording asks for many byte ranges, and hashing a whole hour of audio
/// (about 115 MB) for each would make every seek slow. So a ranged play starting after byte 0 of a file checked in full
/// within the last <see cref="RangeTrust"/>, whose length and last write time have not changed since,
/// is served on that check; any other fetch (a play from the start, `bytes=0-` included, every
/// download) always hashes the whole file. What this leaves open: someone able to write the recordings directory who
/// changes bytes in place and puts back the file's time could have a few ranges served unchecked for
/// at most <see cref="RangeTrust"/>; the next whole fetch finds the change and flags the recording.
/// </para>
/// </summary>
internal sealed class RecordingLibrary(RecordingRepository recordings, RecordingFiles files, TimeProvider time, ILogger<RecordingLibrary> logger)
{
    /// <summary>How long a whole-file check vouches for ranged plays of the unchanged file.</summary>
    public static readonly TimeSpan RangeTrust = TimeSpan.FromMinutes(5);

    /// <summary>Files remembered as checked; the oldest check is forgotten beyond this.</summary>
    public const int RememberedChecks = 1024;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, WholeCheck> _checked = new(StringComparer.Ordinal);
    private long _wholeChecks;

    /// <summary>How many times a whole file was hashed (for tests and the curious).</summary>
    public long WholeChecks => Interlocked.Read(ref _wholeChecks);

    /// <summary>The platform's call ids are hex and '-' (CallIds); anything else is refused before the database is asked.</summary>
    public static bool IsCallId(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    /// <param name="id">The call's id.</param>
    /// <param name="ranged">The fetch is a seek (a play's byte range starting after byte 0): a recent whole check of the unchanged file may serve it.</param>
    /// <param name="cancellationToken">The request's.</param>
    public async Task<(RecordingEntry? Entry, RecordingCheck Check)> OpenAsync(string id, bool ranged, CancellationToken cancellationToken)
    {
        if (!IsCallId(id) || await recordings.FindAsync(id, cancellationToken) is not { } entry)
        {
            return (null, new RecordingCheck(RecordingRefusal.UnknownCall, "There is no call with this id."));
        }

        return (entry, await CheckAsync(entry, ranged, cancellationToken));
    }

    private async Task<RecordingCheck> CheckAsync(RecordingEntry entry, bool ranged, CancellationToken cancellationToken)
    {
        if (entry.Recording is null || entry.RecordingSha256 is null)
        {
            return new(RecordingRefusal.NotRecorded, "This call has no recording.");
        }

        if (entry.RecordingDeletedAt is { } deletedAt)
        {
            return new(RecordingRefusal.Deleted, $"The recording was deleted by {entry.RecordingDeletedBy} on {deletedAt.ToString("u", CultureInfo.InvariantCulture)}.");
        }

        if (entry.RecordingFlag is not null)
        {
            var since = entry.RecordingFlaggedAt?.ToString("u", CultureInfo.InvariantCulture);
            return new(RecordingRefusal.Changed, entry.RecordingFlag == RecordingFlags.HashMismatch
                ? $"The recording's SHA-256 no longer matched the one written with the call (found {since}): it is flagged and not served."
                : $"The recording is flagged ({entry.RecordingFlag}) since {since}: it is not served.");
        }

        if (files.Inside(entry.Recording) is not { } path)
        {
            AgentDeskLog.RecordingOutside(logger, entry.Id, entry.Recording, files.Directory);
            return new(RecordingRefusal.Outside, "The recording's path is outside the recordings directory: it is not served.");
        }

        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            AgentDeskLog.RecordingMissing(logger, entry.Id, path);
            return new(RecordingRefusal.Missing, "The recording's file is missing.");
        }

        try
        {
            var length = file.Length;
            var writtenAt = File.GetLastWriteTimeUtc(path);
            var now = time.GetUtcNow();
            if (ranged
                && _checked.TryGetValue(path, out var earlier)
                && earlier.Length == length
                && earlier.WrittenAt == writtenAt
                && string.Equals(earlier.Sha256, entry.RecordingSha256, StringComparison.OrdinalIgnoreCase)
                && now - earlier.At < RangeTrust)
            {
                return new(RecordingRefusal.None, "", file, earlier.Sha256);
            }

            Interlocked.Increment(ref _wholeChecks);
            var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
            if (!string.Equals(sha, entry.RecordingSha256, StringComparison.OrdinalIgnoreCase))
            {
                await file.DisposeAsync();
                _checked.TryRemove(path, out _);
                await recordings.FlagAsync(entry.Id, RecordingFlags.HashMismatch, time.GetUtcNow(), cancellationToken);
                AgentDeskLog.RecordingChanged(logger, entry.Id, path, entry.RecordingSha256, sha);
                return new(RecordingRefusal.Changed, "The recording's SHA-256 no longer matches the one written with the call: it is refused and flagged.");
            }

            file.Position = 0;
            Remember(path, new WholeCheck(length, writtenAt, sha, now));
            return new(RecordingRefusal.None, "", file, sha);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    private void Remember(string path, WholeCheck check)
    {
        _checked[path] = check;
        if (_checked.Count > RememberedChecks)
        {
            // Forget the oldest check: a play of it hashes the file again.
            var oldest = _checked.MinBy(c => c.Value.At).Key;
            _checked.TryRemove(oldest, out _);
        }
    }

    /// <summary>A whole file hashed at <paramref name="At"/>, with what it looked like then.</summary>
    private readonly record struct WholeCheck(long Length, DateTime WrittenAt, string Sha256, DateTimeOffset At);

    /// <summary>RFC 9530 Repr-Digest of the whole file, from its hex SHA-256.</summary>
    public static string ReprDigest(string sha256Hex) => "sha-256=:" + Convert.ToBase64String(Convert.FromHexString(sha256Hex)) + ":";
}
