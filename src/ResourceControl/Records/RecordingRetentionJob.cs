using System.Data.Common;
using CallCenter.Data.Calls;
using CallCenter.Data.Desk;

namespace CallCenter.ResourceControl.Records;

/// <summary>
/// The daily retention job: at start-up and then once a day, deletes the recordings past their period
/// (<see cref="RecordingRetention"/>) and records each deletion: the call record keeps its path and SHA-256
/// and notes "deleted by retention" with the time, the audit log gets a <c>recording.delete</c> row, and the
/// log a line. A file already gone is noted the same way (and logged as such); a file that cannot be deleted
/// is left noted as kept, to be tried again the next day. A call list entry's reached call (the proof of a compliance
/// call) is never a candidate (<see cref="RecordingRepository.ListKeptStartedBeforeAsync"/>).
/// </summary>
internal sealed partial class RecordingRetentionJob(
    RecordingRepository recordings,
    AuditRepository audit,
    Hosting.RecordingOptions options,
    TimeProvider time,
    ILogger<RecordingRetentionJob> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromDays(1);

    public const string Actor = "retention-job";

    private const int Page = 500;

    private readonly RecordingRetention _rule = new(options.Retention);

    /// <summary>One pass: deletes every recording due at the clock's now; returns the ids deleted, oldest first.</summary>
    public async Task<IReadOnlyList<string>> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (_rule.ShortestPeriod() is not { } shortest)
        {
            return [];
        }

        var now = time.GetUtcNow();
        var deleted = new List<string>();
        RecordingEntry? after = null;
        while (true)
        {
            var page = await recordings.ListKeptStartedBeforeAsync(now - shortest, Page, after, cancellationToken);
            foreach (var entry in page.Where(e => _rule.IsDue(e.Tier, e.Queue, e.StartedAt, now)))
            {
                if (await DeleteAsync(entry, now, cancellationToken))
                {
                    deleted.Add(entry.Id);
                }
            }

            if (page.Count < Page)
            {
                break;
            }

            after = page[^1];
        }

        LogPass(logger, deleted.Count, now);
        return deleted;
    }

    private async Task<bool> DeleteAsync(RecordingEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Only a file inside Recording:Directory, as playback serves: a path written elsewhere in a record is never deleted.
        if (new AgentDesk.Recordings.RecordingFiles(options.Directory).Inside(entry.Recording!) is not { } path)
        {
            LogOutside(logger, entry.Id, entry.Recording!);
            return false;
        }

        var existed = File.Exists(path);
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogDeleteFailed(logger, e, entry.Id, path);
            return false;
        }

        var days = _rule.PeriodFor(entry.Tier, entry.Queue)!.Value.TotalDays;
        await recordings.MarkDeletedAsync(entry.Id, RecordingDeletions.Retention, now, cancellationToken);
        var detail = $"kept {days:0} days (tier {entry.Tier ?? "-"}, queue {entry.Queue ?? "-"}); started {entry.StartedAt:u}; sha256 {entry.RecordingSha256}; {(existed ? "file deleted" : "file was already missing")}";
        await audit.AppendAsync(new AuditEntry(now, Actor, "system", "recording.delete", entry.Id, AuditEntry.Done, detail), cancellationToken);
        if (existed)
        {
            LogDeleted(logger, entry.Id, path, days);
        }
        else
        {
            LogAlreadyMissing(logger, entry.Id, path);
        }

        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException)
            {
                // The next pass tries again: each deletion is noted on its own, so nothing is half done.
                LogPassFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(7120, LogLevel.Information, "Recording retention at {Now}: {Count} recordings deleted")]
    private static partial void LogPass(ILogger logger, int count, DateTimeOffset now);

    [LoggerMessage(7121, LogLevel.Information, "Recording of call {CallId} at {Path} deleted by retention after {Days} days")]
    private static partial void LogDeleted(ILogger logger, string callId, string path, double days);

    [LoggerMessage(7122, LogLevel.Warning, "Recording of call {CallId} at {Path} was already missing when retention came to delete it; noted as deleted")]
    private static partial void LogAlreadyMissing(ILogger logger, string callId, string path);

    [LoggerMessage(7123, LogLevel.Error, "Recording of call {CallId} at {Path} could not be deleted by retention; kept until the next pass")]
    private static partial void LogDeleteFailed(ILogger logger, Exception exception, string callId, string path);

    [LoggerMessage(7125, LogLevel.Warning, "Recording of call {CallId} at {Path} is not a recording inside Recording:Directory; retention leaves it alone")]
    private static partial void LogOutside(ILogger logger, string callId, string path);

    [LoggerMessage(7124, LogLevel.Warning, "Recording retention pass failed; retrying at the next pass")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
