using System.Text.Json;
using CallCenter.Data;
using CallCenter.Data.Calls;
using CallCenter.Data.Events;

namespace CallCenter.ResourceControl.Records;

/// <summary>
/// Call records and events the database could not take before the platform stopped (it was away, or the stop's time ran
/// out), kept in a file instead of lost: one JSON line each, synced to disk, readable by the platform's user only. The
/// next start has the writer write them (<see cref="CallRecordWriter.WriteBackKeptAsync"/>) before it closes the calls the
/// last run left open as interrupted: a record closes its call's open row, and one written after that close would be
/// dropped as a duplicate of the interrupted record. The file sits beside the SQLite database it belongs to (<c>callcenter.db-unwritten.jsonl</c>),
/// or is named after the PostgreSQL database (<c>data/unwritten-host-port-database.jsonl</c>); <c>Database:UnwrittenPath</c>
/// sets another. An in-memory database keeps nothing: there is no next start to write it to.
/// </summary>
internal sealed partial class KeptWrites(string? path, ILogger<KeptWrites> logger)
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web)
    {
        IncludeFields = true, // the open row's (caller, dialed, started) tuple
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    // The writer's loop and its stop may both keep what they hold (a loop still in a write when the stop's time ran out).
    private readonly Lock _gate = new();

    /// <summary>Where the kept writes go; null for an in-memory database.</summary>
    public string? Path => path;

    // The file a write-back reads, renamed from Path so that what is kept meanwhile goes to a new one.
    private string Writing => path + "-writing";

    /// <summary>What fails a write or a read of the file (a path the system refuses, a write that cannot be serialized) rather than the platform.</summary>
    public static bool IsFileFailure(Exception e) =>
        e is IOException or UnauthorizedAccessException or NotSupportedException or JsonException or ArgumentException;

    /// <summary>The file for <paramref name="options"/>' database (see the class's summary); a cluster's node (<paramref name="nodeId"/>) has its own.</summary>
    public static string? PathFor(DatabaseOptions options, string? nodeId = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.UnwrittenPath))
        {
            return options.UnwrittenPath;
        }

        if (options.Provider == "postgres")
        {
            var pg = new Npgsql.NpgsqlConnectionStringBuilder(options.ConnectionString);
            var name = string.Join('-', pg.Host ?? "localhost", pg.Port, pg.Database ?? pg.Username ?? "postgres") + (nodeId is null ? "" : "-" + nodeId);
            var safe = string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '_'));
            return System.IO.Path.Combine("data", $"unwritten-{safe}.jsonl");
        }

        var sqlite = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(options.ConnectionString);
        return sqlite.DataSource is "" or ":memory:" || sqlite.Mode == Microsoft.Data.Sqlite.SqliteOpenMode.Memory
            ? null
            : sqlite.DataSource + "-unwritten.jsonl";
    }

    /// <summary>
    /// Appends <paramref name="records"/> and <paramref name="events"/> to the file and syncs it; true once they are on disk.
    /// False, with the reason logged, when there is no file to keep them in or it cannot be written: the caller logs them as
    /// lost.
    /// </summary>
    public bool Keep(IReadOnlyList<CallRecordWrite> records, IReadOnlyList<PlatformEvent> events)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(events);
        if (path is null)
        {
            return false;
        }

        try
        {
            using var lines = Lines(records, events);
            lock (_gate)
            {
                AppendSynced(path, lines.GetBuffer().AsSpan(0, (int)lines.Length));
            }

            return true;
        }
        catch (Exception e) when (IsFileFailure(e))
        {
            LogKeepFailed(logger, e, path);
            return false;
        }
    }

    /// <summary>
    /// What the last run kept, for the writer to write: the file is first renamed to <c>…-writing</c> (so what is kept
    /// meanwhile goes to a new file, and a write-back cut short by a crash is taken up again at the next start), then read.
    /// Events come in the order they happened (a stop keeps its queue before the batch its loop still held). A line that
    /// reads as neither a record nor an event is moved to a <c>.unreadable-</c> file beside it first. Null when nothing is
    /// kept. Throws what <see cref="IsFileFailure"/> names when the file cannot be read or its unreadable lines cannot be
    /// moved: it is then left as it was.
    /// </summary>
    public KeptBatch? TakeForWriting()
    {
        if (path is null)
        {
            return null;
        }

        var writing = Writing;
        lock (_gate)
        {
            if (!File.Exists(writing))
            {
                if (!File.Exists(path))
                {
                    return null;
                }

                File.Move(path, writing);
            }
            else if (File.Exists(path))
            {
                // An earlier start could not write its file, and a later stop kept more: both are written now, in that order.
                AppendSynced(writing, File.ReadAllBytes(path));
                File.Delete(path);
            }
        }

        var records = new List<CallRecordWrite>();
        var events = new List<PlatformEvent>();
        var unreadable = new List<string>();
        foreach (var line in File.ReadAllLines(writing))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            switch (Read(line))
            {
                case { Record: { } record, Event: null }:
                    records.Add(record);
                    break;
                case { Record: null, Event: { } e }:
                    events.Add(e);
                    break;
                default:
                    unreadable.Add(line);
                    break;
            }
        }

        if (unreadable.Count > 0)
        {
            var aside = $"{path}.unreadable-{DateTime.UtcNow:yyyyMMddHHmmssfff}";
            AppendSynced(aside, System.Text.Encoding.UTF8.GetBytes(string.Concat(unreadable.Select(line => line + "\n"))));
            LogUnreadable(logger, unreadable.Count, writing, aside);

            // The rest only from here on: a retry at the next start does not move the same lines aside again.
            Rewrite(writing, records, events);
        }

        return new KeptBatch([.. records], [.. events.OrderBy(e => e.At)]);
    }

    /// <summary>
    /// What is left of the batch <see cref="TakeForWriting"/> gave once part of it is in the database: the file holds only
    /// that from now on (replaced whole, synced), so a later start does not write the rest again; nothing left, the file
    /// goes. Throws what <see cref="IsFileFailure"/> names when it cannot be replaced.
    /// </summary>
    public void Remaining(IReadOnlyList<CallRecordWrite> records, IReadOnlyList<PlatformEvent> events)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(events);
        if (path is null)
        {
            return;
        }

        if (records.Count == 0 && events.Count == 0)
        {
            File.Delete(Writing);
            return;
        }

        Rewrite(Writing, records, events);
    }

    private static void Rewrite(string file, IReadOnlyList<CallRecordWrite> records, IReadOnlyList<PlatformEvent> events)
    {
        using var rest = Lines(records, events);
        var next = file + ".tmp";
        File.Delete(next);
        AppendSynced(next, rest.GetBuffer().AsSpan(0, (int)rest.Length));
        File.Move(next, file, overwrite: true);
    }

    /// <summary>Appends <paramref name="bytes"/> to <paramref name="file"/> (made readable by the platform's user only) and syncs it to disk.</summary>
    private static void AppendSynced(string file, ReadOnlySpan<byte> bytes)
    {
        if (System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(file)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }

        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(file, options);
        if (stream.Length > 0 && LastByte(file) != (byte)'\n')
        {
            stream.WriteByte((byte)'\n'); // a line a killed process cut short stays a line of its own, not the start of the next
        }

        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }

    private static int LastByte(string file)
    {
        using var read = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        read.Seek(-1, SeekOrigin.End);
        return read.ReadByte();
    }

    /// <summary>The file's lines for <paramref name="records"/>, then <paramref name="events"/>: one JSON object and a newline each.</summary>
    private static MemoryStream Lines(IReadOnlyList<CallRecordWrite> records, IReadOnlyList<PlatformEvent> events)
    {
        var lines = new MemoryStream();
        foreach (var line in records.Select(r => new KeptLine(r, null)).Concat(events.Select(e => new KeptLine(null, e))))
        {
            JsonSerializer.Serialize(lines, line, _json);
            lines.WriteByte((byte)'\n');
        }

        return lines;
    }

    private static KeptLine? Read(string line)
    {
        try
        {
            return JsonSerializer.Deserialize<KeptLine>(line, _json);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>One line of the file: a record's write or an event.</summary>
    private sealed record KeptLine(CallRecordWrite? Record, PlatformEvent? Event);

    /// <summary>What the last run kept: its record writes in the order kept, its events in the order they happened.</summary>
    public sealed record KeptBatch(IReadOnlyList<CallRecordWrite> Records, IReadOnlyList<PlatformEvent> Events);

    [LoggerMessage(2306, LogLevel.Error, "Call records and events could not be kept in {Path} either")]
    private static partial void LogKeepFailed(ILogger logger, Exception error, string path);

    [LoggerMessage(2309, LogLevel.Error, "{Count} lines of {Path} are neither a call record nor an event; they were moved to {Aside}")]
    private static partial void LogUnreadable(ILogger logger, int count, string path, string aside);
}
