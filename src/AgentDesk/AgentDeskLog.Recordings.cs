using Microsoft.Extensions.Logging;

namespace CallCenter.AgentDesk;

/// <summary>Recordings for supervisors (event ids 7100-7119).</summary>
internal static partial class AgentDeskLog
{
    [LoggerMessage(7100, LogLevel.Information, "Recording of call {CallId} {Action} by {Actor} ({Role}), range {Range}")]
    public static partial void RecordingServed(ILogger logger, string callId, string action, string actor, string role, string? range);

    [LoggerMessage(7101, LogLevel.Warning, "Recording of call {CallId} {Action} by {Actor} ({Role}) refused: {Reason}")]
    public static partial void RecordingRefused(ILogger logger, string callId, string action, string actor, string role, string reason);

    [LoggerMessage(7102, LogLevel.Error, "Recording of call {CallId} at {Path} no longer matches its SHA-256 (written {Written}, now {Now}): flagged and refused")]
    public static partial void RecordingChanged(ILogger logger, string callId, string path, string written, string now);

    [LoggerMessage(7103, LogLevel.Error, "Recording of call {CallId} is missing at {Path}, though retention did not delete it")]
    public static partial void RecordingMissing(ILogger logger, string callId, string path);

    [LoggerMessage(7104, LogLevel.Error, "Recording of call {CallId} has path {Path} outside the recordings directory {Directory}: refused")]
    public static partial void RecordingOutside(ILogger logger, string callId, string path, string directory);
}
