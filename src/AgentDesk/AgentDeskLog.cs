using Microsoft.Extensions.Logging;

namespace CallCenter.AgentDesk;

/// <summary>The agent desk room's log lines (event ids 3000-3049). Never a password or an API key.</summary>
internal static partial class AgentDeskLog
{
    [LoggerMessage(3000, LogLevel.Information, "Desk sign-in of {Login} ({Role}) from {RemoteAddress}")]
    public static partial void SignedIn(ILogger logger, string login, string role, string? remoteAddress);

    [LoggerMessage(3001, LogLevel.Warning, "Desk sign-in of {Login} from {RemoteAddress} failed: wrong password or unknown login")]
    public static partial void SignInFailed(ILogger logger, string login, string? remoteAddress);

    [LoggerMessage(3002, LogLevel.Warning, "Desk login {Login} locked from {RemoteAddress} until {LockedUntil} after repeated failed sign-ins from there")]
    public static partial void LoginLocked(ILogger logger, string login, DateTimeOffset lockedUntil, string? remoteAddress);

    [LoggerMessage(3003, LogLevel.Warning, "Desk sign-in of login {Login} from {RemoteAddress} refused: locked from there")]
    public static partial void SignInWhileLocked(ILogger logger, string login, string? remoteAddress);

    [LoggerMessage(3004, LogLevel.Information, "Desk sign-out of {Login} from {RemoteAddress}")]
    public static partial void SignedOut(ILogger logger, string? login, string? remoteAddress);

    [LoggerMessage(3005, LogLevel.Warning, "Desk form from {RemoteAddress} refused: anti-forgery token missing or invalid")]
    public static partial void AntiforgeryRejected(ILogger logger, string? remoteAddress);

    [LoggerMessage(3006, LogLevel.Warning, "Desk sign-ins from {RemoteAddress} banned until {BannedUntil}: {Failures} failed sign-ins, the last for {Login}")]
    public static partial void SourceBanned(ILogger logger, string remoteAddress, DateTimeOffset bannedUntil, int failures, string login);

    [LoggerMessage(3007, LogLevel.Debug, "Desk sign-in of {Login} from banned {RemoteAddress} refused (429)")]
    public static partial void SignInWhileBanned(ILogger logger, string login, string remoteAddress);

    [LoggerMessage(3008, LogLevel.Warning, "Desk cookie of {Login} from {RemoteAddress} refused: its session has ended (signed out, new password) or is unknown")]
    public static partial void EndedSessionRefused(ILogger logger, string? login, string? remoteAddress);

    [LoggerMessage(3049, LogLevel.Error, "The desk front-end bundle is missing at {Directory}: /desk/ pages answer 503 until dotnet build has run npm in src/AgentDesk/ClientApp")]
    public static partial void DeskBundleMissing(ILogger logger, string directory);

    [LoggerMessage(3040, LogLevel.Information, "Admin {Actor}: {Action} {Target} done")]
    public static partial void AdminDone(ILogger logger, string actor, string action, string? target);

    [LoggerMessage(3041, LogLevel.Warning, "Admin {Actor}: {Action} {Target} refused: {Reason}")]
    public static partial void AdminRefused(ILogger logger, string actor, string action, string? target, string reason);

    [LoggerMessage(3042, LogLevel.Warning, "Desk request {Method} {Path} of {Actor} from {RemoteAddress} refused: anti-forgery token missing or invalid")]
    public static partial void AdminAntiforgeryRejected(ILogger logger, string method, string path, string actor, string? remoteAddress);

    [LoggerMessage(3043, LogLevel.Information, "Client import by {Actor}: {Imported} new, {Updated} updated, {Rejected} rows rejected")]
    public static partial void ClientsImported(ILogger logger, string actor, int imported, int updated, int rejected);

    [LoggerMessage(2900, LogLevel.Information, "Grading feed by {Actor}: {Imported} client months stored, {Rejected} rows rejected")]
    public static partial void FiguresImported(ILogger logger, string actor, int imported, int rejected);
}
