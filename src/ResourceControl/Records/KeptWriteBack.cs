namespace CallCenter.ResourceControl.Records;

/// <summary>
/// Writes what the last run kept (<see cref="KeptWrites"/>, through <see cref="CallRecordWriter.WriteBackKeptAsync"/>) and only
/// then closes the calls it left open as interrupted. At the start this runs once, in line. When it cannot finish there (the
/// database went away again, or the file is longer than one try's <see cref="CallRecordWriter.WriteBackTime"/>), the start goes
/// on and the write-back is tried again every <see cref="RetryEvery"/> in the background until everything is written. Each try
/// picks up where the last one stopped, because the file is cut down as it goes. Then the open calls are closed. Before, the
/// file waited for the next start, which could be weeks, and the last run's calls showed as open until then.
/// <see cref="StopAsync"/> ends the tries, and waits for the one under way (bounded): nothing runs unobserved.
/// </summary>
internal sealed partial class KeptWriteBack(
    Func<CancellationToken, Task<bool>> writeBack,
    Func<bool, CancellationToken, Task> closeInterrupted,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>How long the background waits between two tries.</summary>
    public static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a stop waits for a try under way to see its cancellation (SQLite waits out a busy database for up to 30 s,
    /// whatever the token). Short: the host's stop time is shared with the records writer's own stop, and a try left
    /// behind loses nothing (the file is cut down only after what it held is committed).
    /// </summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stopping = new();
    private Task _retrying = Task.CompletedTask;

    /// <summary>The background tries: complete once everything is written and the open calls closed, or once stopped.</summary>
    public Task Retrying => _retrying;

    /// <summary>
    /// At the start: writes what was kept and, once nothing is left, closes the open calls (<c>closeInterrupted(false, …)</c>).
    /// When something is left, returns at once with the tries going on in the background; they close the open calls with
    /// <c>closeInterrupted(true, …)</c>, the calls this process took meanwhile being its own, not the last run's.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await writeBack(cancellationToken))
        {
            await closeInterrupted(false, cancellationToken);
            return;
        }

        if (!cancellationToken.IsCancellationRequested)
        {
            _retrying = RetryAsync(_stopping.Token);
        }
    }

    private async Task RetryAsync(CancellationToken stopping)
    {
        var tries = 1;
        while (true)
        {
            try
            {
                await Task.Delay(RetryEvery, time, stopping);
                tries++;
                if (await writeBack(stopping))
                {
                    await closeInterrupted(true, stopping);
                    LogWrittenAfterStart(logger, tries);
                    return;
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The write-back logs its own failures and returns false; this is something else failing, most likely the
                // close (the database away again). The next try finds nothing left to write and closes the calls then.
                LogTryFailed(logger, e, tries);
            }
        }
    }

    /// <summary>
    /// Ends the tries; a try under way is cancelled and waited for, up to <see cref="StopGrace"/> or until the host's stop
    /// time (<paramref name="cancellationToken"/>) is out. What it did not write stays in the file for the next start.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(StopGrace);
        try
        {
            await _retrying.WaitAsync(bounded.Token);
        }
        catch (OperationCanceledException)
        {
            LogStillTrying(logger);
        }
    }

    [LoggerMessage(2312, LogLevel.Warning, "What the last run kept was written at try {Tries}, after the start; the calls it left open are closed as interrupted now (on a cluster's node, once its id is confirmed)")]
    private static partial void LogWrittenAfterStart(ILogger logger, int tries);

    [LoggerMessage(2313, LogLevel.Error, "Try {Tries} at writing what the last run kept and closing the calls it left open failed; it is tried again")]
    private static partial void LogTryFailed(ILogger logger, Exception exception, int tries);

    [LoggerMessage(2314, LogLevel.Warning, "The stop did not wait for the write-back of what the last run kept to end; what it did not write stays for the next start")]
    private static partial void LogStillTrying(ILogger logger);
}
