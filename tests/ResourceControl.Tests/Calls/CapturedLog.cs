using Microsoft.Extensions.Logging;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>A logger that keeps every line with its level, event id, named fields and exception, for tests that check what was logged.</summary>
internal sealed class CapturedLog : ILogger
{
    private readonly List<Line> _lines = [];

    public IReadOnlyList<Line> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var fields = state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? pairs.ToDictionary(p => p.Key, p => p.Value?.ToString(), StringComparer.Ordinal)
            : [];
        lock (_lines)
        {
            _lines.Add(new Line(logLevel, eventId.Id, formatter(state, exception), fields, exception));
        }
    }

    public sealed record Line(LogLevel Level, int EventId, string Text, IReadOnlyDictionary<string, string?> Fields, Exception? Exception);
}
