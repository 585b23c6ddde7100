using CallCenter.ResourceControl.Calls;
using Microsoft.Extensions.Logging;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>Background sends of calls: none is dropped unobserved, a failure is logged with both ids and reported, shutdown waits for them.</summary>
public sealed class BackgroundSendsTests
{
    [Test]
    public async Task AFailureIsLoggedWithTheCallsIdsAndReported()
    {
        var log = new ListLogger();
        var sends = new BackgroundSends(log);
        var reported = new TaskCompletionSource<Exception>();

        sends.Run("0190000000a-1234567890", "abc@host", "BYE to the caller", async () =>
        {
            await Task.Yield();
            throw new InvalidOperationException("socket gone");
        }, e => reported.SetResult(e));

        var exception = await reported.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.That(exception.Message, Is.EqualTo("socket gone"));
        Assert.That(sends.Failures, Is.EqualTo(1));
        Assert.That(log.Lines, Has.One.Contains("0190000000a-1234567890").And.Contains("abc@host").And.Contains("BYE to the caller"));
    }

    [Test]
    public async Task ShutdownWaitsForWhatIsStillRunningAndThenNothingIsLeft()
    {
        var sends = new BackgroundSends(new ListLogger());
        var gate = new TaskCompletionSource();
        var finished = false;
        sends.Run("c", "s", "INVITE to agent 1001", async () =>
        {
            await gate.Task;
            finished = true;
        });
        Assert.That(sends.Running, Is.EqualTo(1));

        var drain = sends.DrainAsync(TimeSpan.FromSeconds(5));
        Assert.That(drain.IsCompleted, Is.False);
        gate.SetResult();

        Assert.That(await drain, Is.True);
        Assert.That(finished, Is.True);
        Assert.That(() => sends.Running, Is.EqualTo(0).After(2000, 10));
    }

    [Test]
    public async Task ShutdownGivesUpOnASendThatNeverEndsAfterItsBound()
    {
        var sends = new BackgroundSends(new ListLogger());
        sends.Run("c", "s", "a BYE nobody answers", () => new TaskCompletionSource().Task);

        Assert.That(await sends.DrainAsync(TimeSpan.FromMilliseconds(100)), Is.False);
    }

    private sealed class ListLogger : ILogger<BackgroundSends>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines)
            {
                Lines.Add(formatter(state, exception));
            }
        }
    }
}
