using Microsoft.Extensions.Logging;

namespace CallCenter.FaxSms.Tests.Fax;

internal sealed record LogEntry(LogLevel Level, int Id, string Message);

/// <summary>Keeps what is logged at <c>minimum</c> and above, as a provider configured at that level would.</summary>
internal sealed class ListLogger(LogLevel minimum) : ILogger
{
    public List<LogEntry> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            lock (Entries)
            {
                Entries.Add(new LogEntry(logLevel, eventId.Id, formatter(state, exception)));
            }
        }
    }
}
