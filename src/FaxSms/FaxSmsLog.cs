using Microsoft.Extensions.Logging;

namespace CallCenter.FaxSms;

/// <summary>The room's log lines (event ids 6000-6099, and 5100-5199 for e-mail task routing); each names the message id. Never a password or a secret.</summary>
internal static partial class FaxSmsLog
{
    [LoggerMessage(6000, LogLevel.Information, "Outbox worker started for {Channels}")]
    public static partial void WorkerStarted(ILogger logger, string channels);

    [LoggerMessage(6001, LogLevel.Warning, "Message {MessageId} ({Channel}) attempt {Attempt} failed, next at {NextAt:u}: {Reason}")]
    public static partial void AttemptFailed(ILogger logger, string messageId, string channel, int attempt, DateTimeOffset nextAt, string reason);

    [LoggerMessage(6002, LogLevel.Error, "Message {MessageId} ({Channel}) failed: {Reason}")]
    public static partial void MessageFailed(ILogger logger, string messageId, string channel, string reason);

    [LoggerMessage(6003, LogLevel.Error, "An outbox round failed (database); trying again")]
    public static partial void WorkerDatabaseError(ILogger logger, Exception exception);

    [LoggerMessage(6004, LogLevel.Information, "SMS opt-out from {Number} ({Keyword}); confirmation {MessageId} queued")]
    public static partial void OptedOut(ILogger logger, string number, string keyword, string messageId);

    [LoggerMessage(6005, LogLevel.Warning, "Inbound SMS {GatewayId} kept as malformed: {Reason}")]
    public static partial void InboundMalformed(ILogger logger, string gatewayId, string reason);

    [LoggerMessage(6006, LogLevel.Warning, "Refused a call on {Path} from {Remote}: {Reason}")]
    public static partial void CallbackRefused(ILogger logger, string path, string remote, string reason);

    [LoggerMessage(6008, LogLevel.Error, "{Count} outbox status writes (delivery reports, attempt outcomes) could not be written; the gateway sends its reports again")]
    public static partial void ReportsNotWritten(ILogger logger, int count, Exception exception);

    [LoggerMessage(6009, LogLevel.Error, "The {Channel} sender threw {ExceptionType} for message {MessageId}; the attempt counts as failed")]
    public static partial void SenderThrew(ILogger logger, string messageId, string channel, string exceptionType);

    [LoggerMessage(6020, LogLevel.Information, "Broadcast {BroadcastId} started by {RequestedBy}: {Queued} SMS queued of an audience of {Size}")]
    public static partial void BroadcastStarted(ILogger logger, string broadcastId, string requestedBy, int queued, int size);

    [LoggerMessage(6021, LogLevel.Warning, "Schedule {ScheduleName} ({ScheduleId}) missed its run at {Due:u} by more than {MaxLateMinutes} minutes; skipped, next at {Next:u}")]
    public static partial void ScheduleMissed(ILogger logger, string scheduleName, string scheduleId, DateTimeOffset due, double maxLateMinutes, DateTimeOffset? next);

    [LoggerMessage(6022, LogLevel.Error, "A broadcast schedule pass failed; trying again")]
    public static partial void SchedulerError(ILogger logger, Exception exception);

    [LoggerMessage(6030, LogLevel.Information, "IMAP {Host}:{Port} mailbox {Mailbox} open (IDLE: {Idle})")]
    public static partial void ImapConnected(ILogger logger, string host, int port, string mailbox, bool idle);

    [LoggerMessage(6031, LogLevel.Warning, "IMAP login as {Username} at {Host}:{Port} failed; trying again later")]
    public static partial void ImapAuthenticationFailed(ILogger logger, string username, string host, int port);

    [LoggerMessage(6032, LogLevel.Warning, "IMAP {Host}:{Port}: {ExceptionType}: {Reason}; connecting again later")]
    public static partial void ImapFailed(ILogger logger, string host, int port, string exceptionType, string reason);

    [LoggerMessage(6033, LogLevel.Warning, "IMAP mailbox {Mailbox}: UIDVALIDITY changed from {Old} to {New}; reading it again (stored mail is not stored twice)")]
    public static partial void ImapUidValidityChanged(ILogger logger, string mailbox, long old, long @new);

    [LoggerMessage(6034, LogLevel.Information, "Mail at UID {Uid} stored as {TaskId}: {Status} {Reason}")]
    public static partial void MailStored(ILogger logger, string taskId, long uid, string status, string reason);

    [LoggerMessage(6035, LogLevel.Information, "Mail at UID {Uid} ({MessageId}) was stored before; skipped")]
    public static partial void MailSeenBefore(ILogger logger, long uid, string messageId);

    [LoggerMessage(6036, LogLevel.Information, "E-mail task {TaskId} offered to agent {Agent}")]
    public static partial void MailTaskOffered(ILogger logger, string taskId, string agent);

    [LoggerMessage(5100, LogLevel.Information, "E-mail task {TaskId} taken back from agent {Agent}: {Reason}; it is offered again")]
    public static partial void MailTaskWithdrawn(ILogger logger, string taskId, string agent, string reason);

    [LoggerMessage(6037, LogLevel.Error, "Offering e-mail tasks failed (database); trying again")]
    public static partial void MailOffersFailed(ILogger logger, Exception exception);

    [LoggerMessage(9081, LogLevel.Information, "Fax {FaxId}: its PDF was downloaded by {Actor} ({Role})")]
    public static partial void FaxPdfServed(ILogger logger, string faxId, string actor, string role);

    [LoggerMessage(9082, LogLevel.Warning, "Fax {FaxId}: a PDF download by {Actor} ({Role}) was refused: {Reason}")]
    public static partial void FaxPdfRefused(ILogger logger, string faxId, string actor, string role, string reason);
}
