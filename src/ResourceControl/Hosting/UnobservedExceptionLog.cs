namespace CallCenter.ResourceControl.Hosting;

/// <summary>
/// Logs what nobody else would: a faulted task that was never awaited (its exception surfaces when
/// the garbage collector finalizes it, <see cref="TaskScheduler.UnobservedTaskException"/>) and an
/// exception that escapes a thread and is about to end the process
/// (<see cref="AppDomain.UnhandledException"/>). Without these hooks such a failure vanishes in
/// silence; with them it is an Error (or Critical) line carrying the word "Unobserved" or "Unhandled"
/// that an operator, and the race torture test, can find. Hooked first thing at start, unhooked at stop.
/// </summary>
internal sealed partial class UnobservedExceptionLog(ILogger<UnobservedExceptionLog> logger) : IHostedService, IDisposable
{
    private int _hooked;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Hook();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Unhook();
        return Task.CompletedTask;
    }

    public void Dispose() => Unhook();

    /// <summary>Subscribes to both process-wide events (once, however often it is called).</summary>
    public void Hook()
    {
        if (Interlocked.Exchange(ref _hooked, 1) == 0)
        {
            TaskScheduler.UnobservedTaskException += OnUnobservedTask;
            AppDomain.CurrentDomain.UnhandledException += OnUnhandled;
        }
    }

    public void Unhook()
    {
        if (Interlocked.Exchange(ref _hooked, 0) == 1)
        {
            TaskScheduler.UnobservedTaskException -= OnUnobservedTask;
            AppDomain.CurrentDomain.UnhandledException -= OnUnhandled;
        }
    }

    private void OnUnobservedTask(object? sender, UnobservedTaskExceptionEventArgs e)
    {
        // Logged, not marked observed: the runtime's own policy (ignore, since .NET 4.5) stays as it is.
        foreach (var inner in e.Exception.Flatten().InnerExceptions)
        {
            LogUnobservedTask(logger, inner.GetType().Name, inner);
        }
    }

    private void OnUnhandled(object? sender, UnhandledExceptionEventArgs e) =>
        LogUnhandled(logger, e.IsTerminating, e.ExceptionObject as Exception);

    [LoggerMessage(9054, LogLevel.Error, "Unobserved task exception ({Type}): a background task failed and nobody awaited it")]
    private static partial void LogUnobservedTask(ILogger logger, string type, Exception exception);

    [LoggerMessage(9055, LogLevel.Critical, "Unhandled exception (process ending: {Terminating})")]
    private static partial void LogUnhandled(ILogger logger, bool terminating, Exception? exception);
}
