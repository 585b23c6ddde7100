using System.Data.Common;
using System.Text.Json;
using System.Threading.Channels;
using CallCenter.Data;
using CallCenter.Data.Calls;
using CallCenter.Data.Events;

namespace CallCenter.ResourceControl.Records;

/// <summary>
/// Writes call records off the SIP path: calls hand their record to a bounded queue and go on;
/// one loop writes what has gathered in one transaction (group commit: one sync of the database's
/// log for up to <see cref="MaxBatch"/> rows instead of one per row), and while the database is away
/// it keeps them and retries the batch with back-off, so a brief outage loses nothing. On shutdown it drains what is queued. A call is also noted as
/// open when it is answered (the same queue, so always before its record): a process stopped
/// mid-call leaves it open, and the next start closes it as interrupted. While it is open its
/// progress (tier, queue, agent, legs, recording) and a heartbeat every <see cref="AliveInterval"/>
/// ride the same batches, so a crash loses little and costs no sync of its own. The event log's
/// events (<see cref="EventLog"/>) ride them too: one writer, one transaction and one sync of the log a
/// window for both, on one connection kept open with its statements compiled once (<see cref="WriterConnection"/>).
/// What the database still cannot take when the platform stops is kept in a file (<see cref="KeptWrites"/>) that the next
/// start writes, not lost.
/// </summary>
internal sealed partial class CallRecordWriter(CallRecordRepository repository, EventLog events, DbConnectionFactory database, KeptWrites kept, TimeProvider time, ILogger<CallRecordWriter> logger)
    : BackgroundService, Calls.ICallRecordSink
{
    /// <summary>How often the platform notes it is alive: an interrupted call ends at most this much before the crash.</summary>
    public static readonly TimeSpan AliveInterval = TimeSpan.FromSeconds(2);

    // Calls answered before this (a killed run's, not yet closed when the heartbeat starts) are not this process's to vouch for.
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();

    /// <summary>Rows written in one transaction at most.</summary>
    public const int MaxBatch = 256;

    /// <summary>Events written in one transaction at most, beside its records.</summary>
    public const int MaxEvents = 500;

    /// <summary>
    /// Group commit: rows that arrive within this window of the first share its transaction, so
    /// under load a commit (its log sync and its page writes) is paid per window, not per row; a
    /// lone row reaches the disk this much later. Measured in bench/README.md (issue 11).
    /// </summary>
    public static readonly TimeSpan CommitWindow = TimeSpan.FromMilliseconds(20);

    private static readonly TimeSpan _maxBackoff = TimeSpan.FromSeconds(5);

    // A write set aside keeps every field, the open row's tuple too; JSON escapes what the database refused in text (a NUL).
    private static readonly JsonSerializerOptions _refusedJson = new(JsonSerializerDefaults.Web) { IncludeFields = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
    private readonly Channel<CallRecordWrite> _queue = Channel.CreateBounded<CallRecordWrite>(new BoundedChannelOptions(100_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private long _written;

    // The loop's batch in hand when the host stopped it while the batch waited to retry: StopAsync writes it first. Handed
    // over once, to whichever comes second: the loop that ends after StopAsync took its turn keeps its batch itself.
    private Handover? _handover;
    private static readonly Handover _handoverClosed = new([], []);

    public long Written => Interlocked.Read(ref _written);

    public int Pending => _queue.Reader.Count;

    /// <summary>Queues the record; waits only when 100,000 records are already waiting.</summary>
    public ValueTask EnqueueAsync(CallRecord record) => _queue.Writer.WriteAsync(new CallRecordWrite(record.Id, record, null));

    /// <summary>Notes the call as in progress; dropped (not waited for) when the queue is full.</summary>
    public void Open(string id, string caller, string dialed, DateTimeOffset startedAt) =>
        _queue.Writer.TryWrite(new CallRecordWrite(id, null, (caller, dialed, startedAt)));

    /// <summary>Notes what is known of a call in progress; dropped (not waited for) when the queue is full, as <see cref="Open"/> is.</summary>
    public void Progress(CallRecord progress, DateTimeOffset at) =>
        _queue.Writer.TryWrite(CallRecordWrite.Progressed(progress, at));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var beating = BeatAsync(stoppingToken);
        await WriteLoopAsync(stoppingToken);
        await beating;
    }

    /// <summary>The heartbeat: one small write through the queue every <see cref="AliveInterval"/>.</summary>
    private async Task BeatAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(AliveInterval, time);
        try
        {
            do
            {
                _queue.Writer.TryWrite(CallRecordWrite.Alive(time.GetUtcNow(), _startedAt));
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: a clean stop writes every record, so the last heartbeat does not matter.
        }
    }

    private async Task WriteLoopAsync(CancellationToken stoppingToken)
    {
        await using var writer = new WriterConnection(database);
        var batch = new List<CallRecordWrite>(MaxBatch);
        var logged = new List<PlatformEvent>(MaxEvents);
        try
        {
            while (await WaitForWorkAsync(stoppingToken))
            {
                if (_queue.Reader.Count < MaxBatch && events.Waiting.Count < MaxEvents)
                {
                    // Less than a full batch of either waiting: let more join it. A full one goes at once (no cap on the rate).
                    await Task.Delay(CommitWindow, time, stoppingToken);
                }

                Take(batch, logged);
                await WriteOrDropAsync(writer, batch, logged, stoppingToken, stopping: false);
                batch.Clear();
                logged.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping while a batch waited to retry: it is handed to StopAsync, which retries it with the host's whole stop time.
            // If StopAsync has already gone on without it (its time ran out while this loop was still in a write), the batch is
            // kept for the next start here.
            if ((batch.Count > 0 || logged.Count > 0) && Interlocked.CompareExchange(ref _handover, new Handover(batch, logged), null) is not null)
            {
                KeepOrLose(batch, logged);
            }
        }
    }

    /// <summary>Waits until a record or an event is waiting; false when both queues are closed and empty.</summary>
    private async Task<bool> WaitForWorkAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            // Stopping wins over work waiting: what is queued goes to StopAsync, which retries it with the host's whole stop time.
            stoppingToken.ThrowIfCancellationRequested();
            if (_queue.Reader.Count > 0 || events.Waiting.Count > 0)
            {
                return true;
            }

            var recordsOpen = !_queue.Reader.Completion.IsCompleted;
            var eventsOpen = !events.Waiting.Completion.IsCompleted;
            if (!recordsOpen && !eventsOpen)
            {
                return false;
            }

            // The wait that did not end is cancelled, so a quiet night does not leave a waiter behind on each heartbeat.
            using var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var records = recordsOpen ? _queue.Reader.WaitToReadAsync(either.Token).AsTask() : Task.Delay(Timeout.Infinite, either.Token);
            var logged = eventsOpen ? events.Waiting.WaitToReadAsync(either.Token).AsTask() : Task.Delay(Timeout.Infinite, either.Token);
            await Task.WhenAny(records, logged);
            await either.CancelAsync();
        }
    }

    private void Take(List<CallRecordWrite> batch, List<PlatformEvent> logged)
    {
        while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write))
        {
            batch.Add(write);
        }

        while (logged.Count < MaxEvents && events.Waiting.TryRead(out var e))
        {
            logged.Add(e);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        _queue.Writer.TryComplete();
        events.Close();

        // The loop's batch in hand, if its retry was cut short, goes first. A loop still in a write (the stop's time ran out
        // first) finds the hand-over closed when it ends, and keeps its batch itself.
        var batch = new List<CallRecordWrite>(MaxBatch);
        var logged = new List<PlatformEvent>(MaxEvents);
        if (Interlocked.Exchange(ref _handover, _handoverClosed) is { } handedOver && !ReferenceEquals(handedOver, _handoverClosed))
        {
            batch.AddRange(handedOver.Records);
            logged.AddRange(handedOver.Events);
        }

        await using var writer = new WriterConnection(database);
        var writing = true;
        while (true)
        {
            Take(batch, logged);
            if (batch.Count == 0 && logged.Count == 0)
            {
                break;
            }

            if (writing)
            {
                // Once the stop's time is out, the rest is kept for the next start without a try each.
                writing = await WriteOrDropAsync(writer, batch, logged, cancellationToken, stopping: true);
            }

            if (!writing)
            {
                KeepOrLose(batch, logged);
            }

            batch.Clear();
            logged.Clear();
        }

        // A loop still in a write when the stop's time ran out keeps its batch once that write ends (a busy SQLite database
        // holds a write up to its 30 s command time-out): the process waits for that, not longer.
        if (ExecuteTask is { IsCompleted: false } loop)
        {
            LogWaitingForLoop(logger, LoopGrace.TotalSeconds);
            if (await Task.WhenAny(loop, Task.Delay(LoopGrace, CancellationToken.None)) != loop)
            {
                LogLoopStillWriting(logger);
            }
        }
    }

    /// <summary>The loop's batch in hand when it stopped, for <see cref="StopAsync"/> to write.</summary>
    private sealed record Handover(List<CallRecordWrite> Records, List<PlatformEvent> Events);

    /// <summary>How long a start waits for the database to take what the last run kept before it goes on without it.</summary>
    public static readonly TimeSpan WriteBackTime = TimeSpan.FromSeconds(30);

    /// <summary>
    /// At the start, before the calls the last run left open are closed as interrupted: writes what it kept
    /// (<see cref="KeptWrites"/>) as any batch is written, so a write the database refuses is set aside as a
    /// <see cref="EventKind.CallRecordRefused"/> event (its call's open row closed) and the rest land. True once nothing kept
    /// is left. False when the file cannot be read, or the database did not take it within <see cref="WriteBackTime"/>: the
    /// file stays for the next start, and the caller must not close the open calls as interrupted now, or their own kept
    /// records would be dropped as duplicates of the interrupted ones. <paramref name="within"/>: another time than
    /// <see cref="WriteBackTime"/> (tests).
    /// </summary>
    public async Task<bool> WriteBackKeptAsync(CancellationToken cancellationToken, TimeSpan? within = null)
    {
        KeptWrites.KeptBatch? batch;
        try
        {
            batch = kept.TakeForWriting();
        }
        catch (Exception e) when (KeptWrites.IsFileFailure(e))
        {
            LogKeptUnreadable(logger, e, kept.Path ?? "-");
            return false;
        }

        if (batch is null)
        {
            return true;
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(within ?? WriteBackTime);
        var records = batch.Records;
        var logged = batch.Events;
        var (doneRecords, doneEvents) = (0, 0);
        var sinceCut = System.Diagnostics.Stopwatch.StartNew();
        await using var writer = new WriterConnection(database);
        bool more;
        do
        {
            // A batch's worth at a time (none: a file of unreadable lines only, which goes). The file is cut down to
            // what is left every second (_cutEvery), at the end and when the time runs out, so a long outage's file is
            // written over as many starts as it takes without being rewritten after each batch, and a crash writes at
            // most a second's events again.
            var chunkRecords = records.Skip(doneRecords).Take(MaxBatch).ToList();
            var chunkEvents = logged.Skip(doneEvents).Take(MaxEvents).ToList();
            doneRecords += chunkRecords.Count;
            doneEvents += chunkEvents.Count;
            var written = await WriteOrDropAsync(writer, chunkRecords, chunkEvents, bounded.Token, stopping: true, keepUnwritable: false);
            if (written)
            {
                chunkRecords.Clear();
                chunkEvents.Clear();
            }

            more = doneRecords < records.Count || doneEvents < logged.Count;
            if (!written || !more || sinceCut.Elapsed >= _cutEvery)
            {
                try
                {
                    // What is left of the chunk (a one-at-a-time pass commits part of it, none when written), then the rest.
                    kept.Remaining([.. chunkRecords, .. records.Skip(doneRecords)], [.. chunkEvents, .. logged.Skip(doneEvents)]);
                    sinceCut.Restart();
                }
                catch (Exception e) when (KeptWrites.IsFileFailure(e))
                {
                    // The file still holds what was just written: a record lands once whatever the tries, its events may repeat.
                    LogKeptUnreadable(logger, e, kept.Path ?? "-");
                    return false;
                }
            }

            if (!written)
            {
                LogKeptNotWritten(logger, chunkRecords.Count + records.Count - doneRecords, chunkEvents.Count + logged.Count - doneEvents, kept.Path!);
                return false;
            }
        }
        while (more);

        LogKeptWritten(logger, batch.Records.Count, batch.Events.Count, kept.Path!);
        return true;
    }

    /// <summary>How often a write-back cuts its file down to what is left (and at its end).</summary>
    private static readonly TimeSpan _cutEvery = TimeSpan.FromSeconds(1);

    /// <summary>How long a stop waits, past the host's time, for the loop's last write to end and its batch to be kept.</summary>
    public static readonly TimeSpan LoopGrace = TimeSpan.FromSeconds(35);

    /// <summary>
    /// <see cref="WriteWithRetryAsync"/>, except for a batch that fails for another reason than the database being away (which
    /// is retried whole): a row the database refuses (<see cref="DatabaseErrors.IsRefusal"/>), or a value the driver or the
    /// serializer cannot send. Either would fail the whole batch every time, so it is written one write at a time
    /// (<see cref="WriteEachAsync"/>): the one refused is set aside, the rest go on, nothing is lost. False only when the
    /// stop's time ran out first, or, with <paramref name="keepUnwritable"/> false (writing back what was kept), when the batch
    /// could not be written at all: the caller keeps what is left in the lists.
    /// </summary>
    private async Task<bool> WriteOrDropAsync(WriterConnection writer, List<CallRecordWrite> batch, List<PlatformEvent> logged, CancellationToken cancellationToken, bool stopping, bool keepUnwritable = true)
    {
        try
        {
            return await WriteWithRetryAsync(writer, batch, logged, cancellationToken, stopping);
        }
        catch (Exception e) when (e is not OutOfMemoryException && (stopping || e is not OperationCanceledException))
        {
            // The loop's cancellation is its stop (the batch goes to StopAsync); the stop's own was handled in the retry.
            await writer.ResetAsync();
            LogBatchRefused(logger, batch.Count, logged.Count, e.Message);
            try
            {
                return await WriteEachAsync(writer, batch, logged, cancellationToken, stopping);
            }
            catch (Exception again) when (again is not OutOfMemoryException && (stopping || again is not OperationCanceledException))
            {
                await writer.ResetAsync();
                LogUnwritable(logger, again, batch.Count, logged.Count);
                if (!keepUnwritable)
                {
                    return false; // writing back what was kept: it stays where it is
                }

                KeepOrLose(batch, logged);
                return true;
            }
        }
    }

    /// <summary>
    /// A batch that failed whole for another reason than the database being away: written again in transactions of at most
    /// <see cref="SavepointsPerCommit"/> writes, with a savepoint around each write. A write that fails (the database refuses it, or the driver
    /// or the serializer cannot send it) is rolled back alone and kept whole as a <see cref="EventKind.CallRecordRefused"/>
    /// event instead, with the call's open row closed when it was the call's record (else the call would stay open on the
    /// wallboard, and be "interrupted" at the next start); the rest are written. A database that refuses every row (a
    /// schema that does not match the platform's) thus moves each record into the event log, on disk and logged as an
    /// error, at the cost of a few commits a batch, rather than holding them in memory until the queue fills and calls wait on
    /// it. The database going away meanwhile fails the chunk, which is tried again with back-off as any batch is.
    /// </summary>
    private async Task<bool> WriteEachAsync(WriterConnection writer, List<CallRecordWrite> batch, List<PlatformEvent> logged, CancellationToken cancellationToken, bool stopping)
    {
        var attempt = stopping ? cancellationToken : CancellationToken.None;
        var backoff = TimeSpan.FromMilliseconds(100);
        while (batch.Count > 0 || logged.Count > 0)
        {
            // A chunk a transaction: PostgreSQL keeps a transaction's first 64 subtransactions (savepoints) in shared memory and
            // slows every session down past that, so a pass commits at most SavepointsPerCommit writes at a time. A chunk
            // leaves the lists once committed: what the loop hands over at a stop is only what is left.
            var records = batch.Take(SavepointsPerCommit).ToList();
            var events = logged.Take(SavepointsPerCommit - records.Count).ToList();
            var setAside = new List<(string? CallId, string What, Exception Error)>();
            var lost = new List<(string? CallId, string Detail, Exception Error)>();
            try
            {
                await writer.BeginAsync(attempt);
                var written = 0;
                foreach (var write in records)
                {
                    written += await InSavepointAsync(writer, write.Id, write, write.Record is not null, () => repository.WriteBatchAsync(writer, [write], attempt), setAside, lost, attempt);
                }

                foreach (var e in events)
                {
                    await InSavepointAsync(writer, e.CallId, e, false, async () => { await EventRepository.AppendAsync(writer, [e], attempt); return 0; }, setAside, lost, attempt);
                }

                await writer.CommitAsync(attempt);
                Interlocked.Add(ref _written, written);
                batch.RemoveRange(0, records.Count);
                logged.RemoveRange(0, events.Count);
                foreach (var (callId, what, error) in setAside)
                {
                    LogRefused(logger, error, callId ?? "-", what);
                }

                foreach (var (callId, detail, error) in lost)
                {
                    LogSetAsideRefused(logger, error, callId ?? "-", detail);
                }

                backoff = TimeSpan.FromMilliseconds(100);
            }
            catch (OperationCanceledException) when (stopping && cancellationToken.IsCancellationRequested)
            {
                await writer.ResetAsync();
                return false;
            }
            catch (Exception e) when (IsOutage(e))
            {
                await writer.ResetAsync();
                LogRetry(logger, records.Count, records.Count > 0 ? records[0].Id : "-", events.Count, e.Message, backoff.TotalMilliseconds);
                if (await BackOffAsync(backoff, cancellationToken, stopping) is not { } next)
                {
                    return false;
                }

                backoff = next;
            }
        }

        return true;
    }

    /// <summary>Writes one transaction of the one-at-a-time pass holds at most: below PostgreSQL's 64 cached subtransactions.</summary>
    public const int SavepointsPerCommit = 50;

    // One write's savepoint inside the pass's transaction (SQLite and PostgreSQL both nest them by name; one at a time here).
    private const string OneWrite = "one_write";

    /// <summary>
    /// Runs one write of the pass in its own savepoint; returns the records it wrote. A failure that is not the database
    /// being away rolls back this write alone and writes it as a <see cref="EventKind.CallRecordRefused"/> event instead
    /// (closing the call's open row when <paramref name="closesCall"/>); if even that is refused, the write is in the log only.
    /// </summary>
    private async Task<int> InSavepointAsync(
        WriterConnection writer,
        string? callId,
        object write,
        bool closesCall,
        Func<Task<int>> run,
        List<(string? CallId, string What, Exception Error)> setAside,
        List<(string? CallId, string Detail, Exception Error)> lost,
        CancellationToken cancellationToken)
    {
        var transaction = writer.Transaction;
        await transaction.SaveAsync(OneWrite, cancellationToken);
        try
        {
            var written = await run();
            await transaction.ReleaseAsync(OneWrite, cancellationToken);
            return written;
        }
        catch (Exception e) when (IsWriteFailure(e))
        {
            // A broken connection fails the rollback too: that is an outage, and the chunk is tried again.
            await transaction.RollbackAsync(OneWrite, cancellationToken);
            // ROLLBACK TO keeps the savepoint: the set-aside event goes in the same one, released (or rolled back) once.
            var detail = SetAsideDetail(e.Message, write);
            try
            {
                await EventRepository.AppendAsync(writer, [new PlatformEvent(time.GetUtcNow(), EventKind.CallRecordRefused.Value, callId, null, detail)], cancellationToken);
                if (closesCall && callId is not null)
                {
                    await repository.CloseOpenAsync(writer, callId, cancellationToken);
                }

                await transaction.ReleaseAsync(OneWrite, cancellationToken);
                setAside.Add((callId, write is CallRecordWrite ? "record" : "event", e));
            }
            catch (Exception again) when (IsWriteFailure(again))
            {
                await transaction.RollbackAsync(OneWrite, cancellationToken);
                await transaction.ReleaseAsync(OneWrite, cancellationToken);
                lost.Add((callId, detail, again));
            }

            return 0;
        }
    }

    /// <summary>The database away, busy or locked: worth trying the same writes again; not a value it refuses.</summary>
    private static bool IsDatabaseAway(Exception e) => (e is DbException or TimeoutException) && !DatabaseErrors.IsRefusal(e);

    /// <summary>
    /// In the one-at-a-time pass, what tries the chunk again: the database away, or an invalid operation outside a single
    /// write (a broken connection at the begin, a savepoint's rollback or the commit).
    /// </summary>
    private static bool IsOutage(Exception e) => IsDatabaseAway(e) || e is InvalidOperationException;

    /// <summary>
    /// One write failing for itself: the database refuses it, or the driver or the serializer cannot send it (an invalid
    /// operation too: a broken connection would fail the savepoint's rollback next, and that is taken as an outage).
    /// </summary>
    private static bool IsWriteFailure(Exception e) => e is not (OutOfMemoryException or OperationCanceledException) && !IsDatabaseAway(e);

    /// <summary>The refused write as JSON with the error: every field (the open row's tuple too, NaN as "NaN"), or, if even that fails, the error and why.</summary>
    private static string SetAsideDetail(string error, object write)
    {
        try
        {
            return JsonSerializer.Serialize(new { error, write }, _refusedJson);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException)
        {
            return JsonSerializer.Serialize(new { error, unserializable = e.Message }, _refusedJson);
        }
    }

    /// <summary>
    /// Writes the records and the events in one transaction, retrying the whole with back-off while the database is away.
    /// True once written. The loop's (<paramref name="stopping"/> false) runs each try to its end and throws when the host
    /// stops it while it waits to retry; the stop's gives each try only the stop's time, and returns false once that is out.
    /// </summary>
    private async Task<bool> WriteWithRetryAsync(WriterConnection writer, List<CallRecordWrite> batch, List<PlatformEvent> logged, CancellationToken cancellationToken, bool stopping)
    {
        if (batch.Count == 0 && logged.Count == 0)
        {
            return true;
        }

        var attempt = stopping ? cancellationToken : CancellationToken.None;
        var backoff = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                await writer.BeginAsync(attempt);
                var written = await repository.WriteBatchAsync(writer, batch, attempt);
                await EventRepository.AppendAsync(writer, logged, attempt);
                await writer.CommitAsync(attempt);
                Interlocked.Add(ref _written, written);
                return true;
            }
            catch (OperationCanceledException) when (stopping && cancellationToken.IsCancellationRequested)
            {
                await writer.ResetAsync();
                return false;
            }
            catch (Exception e) when (IsDatabaseAway(e))
            {
                // The connection may be broken or its transaction half done: the next try starts on a new one. An invalid
                // operation goes to the one-at-a-time pass instead (WriteEachAsync), which tries again for a broken
                // connection and sets the write aside for a fault of its own, which would fail every time.
                await writer.ResetAsync();
                LogRetry(logger, batch.Count, batch.Count > 0 ? batch[0].Id : "-", logged.Count, e.Message, backoff.TotalMilliseconds);
                if (await BackOffAsync(backoff, cancellationToken, stopping) is not { } next)
                {
                    return false;
                }

                backoff = next;
            }
        }
    }

    /// <summary>
    /// Waits <paramref name="backoff"/> before the next try; returns the wait after it (doubled, at most 5 s), or null when the
    /// stop's time ran out meanwhile. The loop's own stop throws, so its batch is handed over to <see cref="StopAsync"/>.
    /// </summary>
    private static async Task<TimeSpan?> BackOffAsync(TimeSpan backoff, CancellationToken cancellationToken, bool stopping)
    {
        try
        {
            await Task.Delay(backoff, cancellationToken);
        }
        catch (OperationCanceledException) when (stopping)
        {
            return null;
        }

        return TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _maxBackoff.Ticks));
    }

    /// <summary>What cannot be written now goes to the file the next start writes; only if that fails too is each record logged as lost.</summary>
    private void KeepOrLose(List<CallRecordWrite> batch, List<PlatformEvent> logged)
    {
        if (batch.Count == 0 && logged.Count == 0)
        {
            return;
        }

        if (kept.Keep(batch, logged))
        {
            LogKept(logger, batch.Count, logged.Count, kept.Path!);
            return;
        }

        LogAllLost(batch, logged);
    }

    private void LogAllLost(List<CallRecordWrite> batch, List<PlatformEvent> logged)
    {
        foreach (var lost in batch)
        {
            LogLost(logger, lost.Id);
        }

        if (logged.Count > 0)
        {
            LogEventsLost(logger, logged.Count);
        }
    }

    [LoggerMessage(2300, LogLevel.Warning, "{Count} call records from {CallId} on and {EventCount} events not written yet ({Error}); retrying in {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, int count, string callId, int eventCount, string error, double delayMs);

    [LoggerMessage(2310, LogLevel.Warning, "{Count} call records and {EventCount} events could not be written; kept in {Path}, the next start writes them")]
    private static partial void LogKept(ILogger logger, int count, int eventCount, string path);

    [LoggerMessage(2307, LogLevel.Information, "{Records} call records and {Events} events the last run kept in {Path} were written")]
    private static partial void LogKeptWritten(ILogger logger, int records, int events, string path);

    [LoggerMessage(2308, LogLevel.Error, "{Records} call records and {Events} events the last run kept in {Path} were not written in time; they stay in the file and are tried again in the background (or, after a stop, at the next start), and the calls the last run left open are not closed as interrupted until they are written")]
    private static partial void LogKeptNotWritten(ILogger logger, int records, int events, string path);

    [LoggerMessage(4104, LogLevel.Error, "The call records and events the last run kept in {Path} cannot be read or cut down; they stay, and the calls the last run left open are not closed as interrupted until they are written")]
    private static partial void LogKeptUnreadable(ILogger logger, Exception error, string path);

    [LoggerMessage(4102, LogLevel.Warning, "The records writer is still in a write after the stop's time; waiting up to {Seconds} s more for it to end and keep what it holds")]
    private static partial void LogWaitingForLoop(ILogger logger, double seconds);

    [LoggerMessage(4103, LogLevel.Critical, "The records writer's last write did not end in time; the call records and events it holds are lost if the process ends now")]
    private static partial void LogLoopStillWriting(ILogger logger);

    [LoggerMessage(2301, LogLevel.Error, "Call record {CallId} could not be written and is lost")]
    private static partial void LogLost(ILogger logger, string callId);

    [LoggerMessage(2302, LogLevel.Error, "A batch of {Count} call records and {EventCount} events cannot be written; kept for the next start (or, if that fails too, each record is logged as lost)")]
    private static partial void LogUnwritable(ILogger logger, Exception error, int count, int eventCount);

    [LoggerMessage(2303, LogLevel.Warning, "A batch of {Count} call records and {EventCount} events failed as a whole ({Error}); writing them one at a time to find the one refused")]
    private static partial void LogBatchRefused(ILogger logger, int count, int eventCount, string error);

    [LoggerMessage(2304, LogLevel.Error, "The {What} of call {CallId} could not be written (the database refused it, or it could not be sent); it is kept in the event log as call.record-refused")]
    private static partial void LogRefused(ILogger logger, Exception error, string callId, string what);

    [LoggerMessage(2305, LogLevel.Critical, "Call {CallId}'s write could not be written, nor its call.record-refused event; the write was: {Write}")]
    private static partial void LogSetAsideRefused(ILogger logger, Exception error, string callId, string write);

    [LoggerMessage(2311, LogLevel.Error, "{Count} events could not be written and are lost")]
    private static partial void LogEventsLost(ILogger logger, int count);
}
