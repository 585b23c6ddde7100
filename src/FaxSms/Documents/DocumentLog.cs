using Microsoft.Extensions.Logging;

namespace CallCenter.FaxSms.Documents;

/// <summary>The documents' log lines (event ids 7200-7299): the call, the document and the channel; never a recipient or an account.</summary>
internal static partial class DocumentLog
{
    [LoggerMessage(7200, LogLevel.Information, "Call {CallId}: {Document} by {Channel} queued as {Id}")]
    public static partial void Queued(ILogger logger, string callId, string document, string channel, string id);

    [LoggerMessage(7201, LogLevel.Information, "Call {CallId}: {Document} by {Channel} refused: no usable recipient")]
    public static partial void Refused(ILogger logger, string callId, string document, string channel);
}
