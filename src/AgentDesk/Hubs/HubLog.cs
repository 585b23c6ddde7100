using Microsoft.Extensions.Logging;

namespace CallCenter.AgentDesk.Hubs;

/// <summary>The desk hubs' log lines (event ids 3050-3069, 4002-4009 for the wallboard's call list counts, 4176 for its fax count).</summary>
internal static partial class HubLog
{
    [LoggerMessage(3050, LogLevel.Warning, "Agent hub: {Login} (agent {Agent}) asked to {Action} call {CallId}, which is not their call; refused")]
    public static partial void ForeignCall(ILogger logger, string login, string? agent, string action, string callId);

    [LoggerMessage(3051, LogLevel.Information, "Desk action {Action} on {Target} by {Login} ({Role}) refused: {Detail}")]
    public static partial void ActionRefused(ILogger logger, string action, string? target, string login, string role, string detail);

    [LoggerMessage(3052, LogLevel.Warning, "Hub request to {Path} from origin {Origin} refused: not the platform's own origin {Own}")]
    public static partial void ForeignOrigin(ILogger logger, string path, string origin, string own);

    [LoggerMessage(3053, LogLevel.Warning, "Desk events queue full: a {Kind} for {Agent} was dropped")]
    public static partial void EventDropped(ILogger logger, string kind, string agent);

    [LoggerMessage(3054, LogLevel.Error, "Desk event {Kind} for {Agent} could not be sent")]
    public static partial void SendFailed(ILogger logger, Exception exception, string kind, string agent);

    [LoggerMessage(3055, LogLevel.Error, "The audit log entry {Action} on {Target} by {Login} could not be written")]
    public static partial void AuditFailed(ILogger logger, Exception exception, string action, string? target, string login);

    [LoggerMessage(3056, LogLevel.Warning, "Wallboard metrics could not be computed; the last figures are shown")]
    public static partial void MetricsFailed(ILogger logger, Exception exception);

    [LoggerMessage(3057, LogLevel.Error, "The wallboard view could not be sent")]
    public static partial void WallboardFailed(ILogger logger, Exception exception);

    [LoggerMessage(3058, LogLevel.Information, "Desk action {Action} on {Target} by {Login} ({Role}) done")]
    public static partial void ActionDone(ILogger logger, string action, string? target, string login, string role);

    [LoggerMessage(4002, LogLevel.Warning, "Wallboard call list counts could not be read; the last counts are shown")]
    public static partial void ListCountsFailed(ILogger logger, Exception exception);

    [LoggerMessage(4176, LogLevel.Warning, "Wallboard count of received faxes to handle could not be read; the last count is shown")]
    public static partial void FaxTasksFailed(ILogger logger, Exception exception);
}
