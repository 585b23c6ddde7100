using System.Runtime.CompilerServices;
using CallCenter.ResourceControl.Hosting;
using Microsoft.Extensions.Logging;

namespace CallCenter.ResourceControl.Tests.Hosting;

[NonParallelizable]
public sealed class UnobservedExceptionLogTests
{
    [Test]
    public async Task AFaultedTaskNobodyAwaitedIsLoggedAsAnErrorOnceTheCollectorFinalizesIt()
    {
        var log = new ListLogger();
        using var hooks = new UnobservedExceptionLog(log);
        await hooks.StartAsync(CancellationToken.None);
        var marker = "lost-" + Guid.NewGuid().ToString("N");

        DropAFaultedTask(marker);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!log.Has(marker) && DateTime.UtcNow < deadline)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(20);
        }

        var line = log.Find(marker);
        Assert.That(line, Is.Not.Null, "the unobserved task's exception reached the log");
        Assert.That(line!.Level, Is.EqualTo(LogLevel.Error));
        Assert.That(line.Text, Does.Contain("Unobserved task exception (InvalidOperationException)"));
        Assert.That(line.EventId, Is.EqualTo(9054));
    }

    [Test]
    public async Task AfterStopAFaultedTaskIsNoLongerLoggedByIt()
    {
        var log = new ListLogger();
        var hooks = new UnobservedExceptionLog(log);
        await hooks.StartAsync(CancellationToken.None);
        await hooks.StopAsync(CancellationToken.None);
        var marker = "after-stop-" + Guid.NewGuid().ToString("N");

        DropAFaultedTask(marker);
        for (var i = 0; i < 5; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.That(log.Has(marker), Is.False, "unhooked at stop: a stopped host does not keep logging through a disposed logger");
    }

    // Its own frame, not inlined, so that nothing on the test's stack keeps the task alive.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DropAFaultedTask(string marker)
    {
        var task = Task.Run(() => throw new InvalidOperationException(marker));
        while (!task.IsCompleted)
        {
            Thread.Sleep(5);
        }
    }

    private sealed record Line(LogLevel Level, int EventId, string Text);

    private sealed class ListLogger : ILogger<UnobservedExceptionLog>
    {
        private readonly List<Line> _lines = [];

        public bool Has(string marker) => Find(marker) is not null;

        public Line? Find(string marker)
        {
            lock (_lines)
            {
                return _lines.FirstOrDefault(l => l.Text.Contains(marker, StringComparison.Ordinal));
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines)
            {
                _lines.Add(new Line(logLevel, eventId.Id, formatter(state, exception) + " " + exception?.Message));
            }
        }
    }
}
