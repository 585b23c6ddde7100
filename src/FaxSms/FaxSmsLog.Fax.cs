using Microsoft.Extensions.Logging;

namespace CallCenter.FaxSms;

/// <summary>The fax's log lines (event ids 6100-6199, and 5000-5099 for the received fax's task); each names the session (the call's id or the fax's).</summary>
internal static partial class FaxSmsLog
{
    [LoggerMessage(6100, LogLevel.Debug, "Fax {Session} T.30: {Line}")]
    public static partial void T30Line(ILogger logger, string session, string line);

    [LoggerMessage(6101, LogLevel.Information, "Fax {Session} ended: success {Succeeded}, {Pages} pages at {BitRate} bit/s, ECM {Ecm}, code {Code} ({Text})")]
    public static partial void T30Ended(ILogger logger, string session, bool succeeded, int pages, int bitRate, bool ecm, int code, string text);

    [LoggerMessage(4101, LogLevel.Warning, "Fax {Session}: page {Page} arrived with {BadRows} damaged pixel rows (longest run {LongestRun})")]
    public static partial void T30BadRows(ILogger logger, string session, int page, int badRows, int longestRun);

    [LoggerMessage(4133, LogLevel.Warning, "Fax {Session}: the receiving machine refused page {Page} ({Answer}) at {BitRate} bit/s")]
    public static partial void T30PageRefused(ILogger logger, string session, int page, string answer, int bitRate);

    [LoggerMessage(4134, LogLevel.Warning, "Fax {Session}: a page arrived with {BadRows} of its {Rows} pixel rows damaged and was refused (RTN); the sender may send it again")]
    public static partial void T30PageRefusedHere(ILogger logger, string session, int badRows, int rows);

    [LoggerMessage(6102, LogLevel.Information, "Fax {FaxId} from {Caller}: {Status}, {Pages} pages ({Text})")]
    public static partial void FaxReceived(ILogger logger, string faxId, string caller, string status, int pages, string text);

    [LoggerMessage(6103, LogLevel.Warning, "Fax {FaxId}: the received pages could not be made a PDF (the TIFF is kept): {Reason}")]
    public static partial void FaxPdfFailed(ILogger logger, string faxId, string reason);

    [LoggerMessage(6104, LogLevel.Information, "Fax {FaxId} to {To}: attempt {Attempt}, from page {FromPage}")]
    public static partial void FaxSending(ILogger logger, string faxId, string to, int attempt, int fromPage);

    [LoggerMessage(6105, LogLevel.Information, "Fax {FaxId} attempt {Attempt} ended: {Status}, {Pages} pages sent in all ({Reason})")]
    public static partial void FaxAttemptEnded(ILogger logger, string faxId, int attempt, string status, int pages, string reason);

    [LoggerMessage(6106, LogLevel.Error, "The fax worker could not reach the database; trying again")]
    public static partial void FaxWorkerDatabaseError(ILogger logger, Exception exception);

    [LoggerMessage(5001, LogLevel.Information, "Fax {FaxId}: task marked handled by {By}")]
    public static partial void FaxTaskHandled(ILogger logger, string faxId, string by);

    [LoggerMessage(4110, LogLevel.Warning, "Fax {FaxId}: its reception was interrupted (the platform stopped during the call); finished with the {Pages} page(s) that arrived")]
    public static partial void FaxReceptionRecovered(ILogger logger, string faxId, int pages);

    [LoggerMessage(4111, LogLevel.Error, "Fax {FaxId}: an interrupted reception could not be finished; tried again later")]
    public static partial void FaxReceptionNotRecovered(ILogger logger, Exception exception, string faxId);

    [LoggerMessage(4150, LogLevel.Warning, "Fax {FaxId} to {To} is not dialled: {Reason}")]
    public static partial void FaxNotDialled(ILogger logger, string faxId, string to, string reason);

    [LoggerMessage(4151, LogLevel.Information, "Fax {FaxId} to {To}: its document is rendered, {Pages} pages, queued")]
    public static partial void FaxRendered(ILogger logger, string faxId, string to, int pages);

    [LoggerMessage(4152, LogLevel.Warning, "Fax {FaxId} to {To} failed before it was sent: its document could not be rendered: {Reason}")]
    public static partial void FaxRenderFailed(ILogger logger, string faxId, string to, string reason);

    [LoggerMessage(4153, LogLevel.Information, "Fax {FaxId}: its render was stopped with the platform; it is rendered at the next start")]
    public static partial void FaxRenderInterrupted(ILogger logger, string faxId);

    [LoggerMessage(4154, LogLevel.Information, "Fax {FaxId} to {To}: {Pages} pages queued at the request of {Actor} ({Role})")]
    public static partial void FaxSendQueued(ILogger logger, string faxId, string to, int pages, string actor, string role);

    [LoggerMessage(4155, LogLevel.Warning, "Fax {FaxId} to {To} asked for by {Actor} ({Role}) was refused: {Reason}")]
    public static partial void FaxSendRefused(ILogger logger, string faxId, string to, string actor, string role, string reason);

    [LoggerMessage(4161, LogLevel.Information, "Fax worker of node {Node}: {Count} fax(es) this node left sending or rendering when it stopped are queued again")]
    public static partial void FaxClaimsRequeuedAtStart(ILogger logger, int count, string node);

    [LoggerMessage(4162, LogLevel.Warning, "Fax {FaxId}: its claim ({Status}) held by node {HeldBy} since {ClaimedAt} is older than Fax:ClaimTimeoutSeconds ({TimeoutSeconds} s), so that node stopped; taken back by node {Node}")]
    public static partial void FaxClaimTakenBack(ILogger logger, string faxId, string status, string heldBy, DateTimeOffset claimedAt, int timeoutSeconds, string node);

    [LoggerMessage(4163, LogLevel.Warning, "Fax {FaxId}: its render ended after its claim was taken back (older than Fax:ClaimTimeoutSeconds); node {Node} leaves the row to whoever holds it now")]
    public static partial void FaxRenderClaimLost(ILogger logger, string faxId, string node);

    [LoggerMessage(4164, LogLevel.Information, "Fax worker: node id {Node} is not confirmed as this process's yet (another process may hold it); no fax is claimed or queued again until it is")]
    public static partial void FaxWorkerWaitingForNodeId(ILogger logger, string node);
}
