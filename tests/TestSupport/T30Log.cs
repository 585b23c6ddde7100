using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CallCenter.TestSupport;

/// <summary>
/// A fax session's own T.30 log (the Debug lines FaxSession passes on from spandsp), kept for a test: the frames it sent,
/// and when the image modem has trained for a page after the last page this side confirmed (MCF), that is, when that page's
/// image data is on the line. A test that spoils a page's rows, not its training, starts its noise then: under a hiss
/// spandsp 0.0.6 may fail the page's short training instead, find no carrier, and still answer the post-page message with
/// MCF, confirming a page it never received.
/// </summary>
public sealed class T30Log : ILogger
{
    private readonly ConcurrentQueue<string> _lines = new();
    private int _confirmed;
    private int _trainedAfter = -1;

    public IEnumerable<string> Lines => _lines;

    /// <summary>Pages this side confirmed (MCF sent).</summary>
    public int Confirmed => Volatile.Read(ref _confirmed);

    /// <summary>True once the image modem trained after the last MCF this side sent, at least one page having been confirmed.</summary>
    public bool NextPageUnderWay => Confirmed > 0 && Volatile.Read(ref _trainedAfter) == Confirmed;

    /// <summary>How many times this side sent <paramref name="frame"/> (T.30's name for it: RTN, MCF, CFR...).</summary>
    public int Sent(string frame) => _lines.Count(l => l.Contains("Tx: ", StringComparison.Ordinal) && l.Contains($" {frame} ", StringComparison.Ordinal));

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var line = formatter(state, exception);
        _lines.Enqueue(line);
        if (line.Contains("Tx: ", StringComparison.Ordinal) && line.Contains(" MCF ", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _confirmed);
        }
        else if (line.Contains("Non-ECM signal status is Training succeeded", StringComparison.Ordinal))
        {
            Volatile.Write(ref _trainedAfter, Confirmed);
        }
    }
}
