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
/// </summary>
internal sealed class RecordingLibrary(RecordingRepository recordings, RecordingFiles files, TimeProvider time, ILogger<RecordingLibrary> logger)
{
    /// <summary>The platform's call ids are hex and '-' (CallIds); anything else is refused before the database is asked.</summary>
    public static bool IsCallId(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    public async Task<(RecordingEntry? Entry, RecordingCheck Check)> OpenAsync(string id, CancellationToken cancellationToken)
    {
        if (!IsCallId(id) || await recordings.FindAsync(id, cancellationToken) is not { } entry)
        {
            return (null, new RecordingCheck(RecordingRefusal.UnknownCall, "There is no call with this id."));
        }

        return (entry, await CheckAsync(entry, cancellationToken));
    }

    private async Task<RecordingCheck> CheckAsync(RecordingEntry entry, CancellationToken cancellationToken)
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
            var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
            if (!string.Equals(sha, entry.RecordingSha256, StringComparison.OrdinalIgnoreCase))
            {
                await file.DisposeAsync();
                await recordings.FlagAsync(entry.Id, RecordingFlags.HashMismatch, time.GetUtcNow(), cancellationToken);
                AgentDeskLog.RecordingChanged(logger, entry.Id, path, entry.RecordingSha256, sha);
                return new(RecordingRefusal.Changed, "The recording's SHA-256 no longer matches the one written with the call: it is refused and flagged.");
            }

            file.Position = 0;
            return new(RecordingRefusal.None, "", file, sha);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    /// <summary>RFC 9530 Repr-Digest of the whole file, from its hex SHA-256.</summary>
    public static string ReprDigest(string sha256Hex) => "sha-256=:" + Convert.ToBase64String(Convert.FromHexString(sha256Hex)) + ":";
}
