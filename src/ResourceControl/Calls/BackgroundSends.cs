using System.Collections.Concurrent;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// The work a call starts and does not wait for (a BYE or CANCEL on its way, an INVITE ringing a
/// phone, a NOTIFY): every such task is tracked here instead of being dropped. A failure is logged
/// with the call's platform id and SIP Call-ID and reported to the call (which ends or repairs
/// itself); shutdown waits for what is still running, for a bounded time.
/// </summary>
internal sealed partial class BackgroundSends(ILogger<BackgroundSends> logger)
{
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private long _failures;

    /// <summary>Tasks that failed since start (on /health).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    public int Running => _running.Count;

    /// <summary>
    /// Runs <paramref name="work"/> in the background for <paramref name="call"/>; if it throws, the
    /// failure is logged and <paramref name="onFailure"/> hears of it, by default the call itself
    /// (<see cref="CallEvent.BackgroundFailed"/>: a live call ends rather than stay half-done).
    /// </summary>
    public void Run(ActiveCall call, string what, Func<Task> work, Action<Exception>? onFailure = null) =>
        Run(call.Id, call.CallId, what, work, onFailure ?? (e => call.Mailbox.Post(new CallEvent.BackgroundFailed(what, e))));

    public void Run(string callId, string sipCallId, string what, Func<Task> work, Action<Exception>? onFailure = null)
    {
        // Started on the caller's thread, so sends keep the order in which the call made them
        // (a NOTIFY before the BYE that follows it); the rest runs when its awaits complete.
        var task = Watched();
        if (!task.IsCompleted)
        {
            _running.TryAdd(task, 0);
            _ = task.ContinueWith(static (t, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(t, out _), _running, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        async Task Watched()
        {
            try
            {
                await work();
            }
            catch (Exception e)
            {
                Interlocked.Increment(ref _failures);
                LogFailed(logger, e, callId, sipCallId, what);
                try
                {
                    onFailure?.Invoke(e);
                }
                catch (Exception reportFailure)
                {
                    LogFailed(logger, reportFailure, callId, sipCallId, what + " (reporting the failure)");
                }
            }
        }
    }

    /// <summary>Shutdown: waits for the tasks still running, at most <paramref name="timeout"/>; false when some were left.</summary>
    public async Task<bool> DrainAsync(TimeSpan timeout)
    {
        var tasks = _running.Keys.ToArray();
        try
        {
            await Task.WhenAll(tasks).WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            LogLeft(logger, _running.Count);
            return false;
        }
    }

    [LoggerMessage(2140, LogLevel.Error, "Call {CallId} (SIP {SipCallId}): {What} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string callId, string sipCallId, string what);

    [LoggerMessage(2141, LogLevel.Warning, "Shutdown: {Count} background sends of calls still running were left")]
    private static partial void LogLeft(ILogger logger, int count);
}
