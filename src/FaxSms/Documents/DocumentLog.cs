using Microsoft.Extensions.Logging;

namespace CallCenter.FaxSms.Documents;

/// <summary>
/// The documents' log lines (event ids 7200-7299, and 5200-5209 for the font): the call, the document
/// and the channel; never a recipient or an account.
/// </summary>
internal static partial class DocumentLog
{
    [LoggerMessage(7200, LogLevel.Information, "Call {CallId}: {Document} by {Channel} queued as {Id}")]
    public static partial void Queued(ILogger logger, string callId, string document, string channel, string id);

    [LoggerMessage(7201, LogLevel.Information, "Call {CallId}: {Document} by {Channel} refused: no usable recipient")]
    public static partial void Refused(ILogger logger, string callId, string document, string channel);

    [LoggerMessage(5200, LogLevel.Information, "Documents are drawn in {Font}, embedded as a subset of the characters used")]
    public static partial void FontInUse(ILogger logger, string font);

    [LoggerMessage(5201, LogLevel.Warning, "Documents have no Chinese font: Documents:Font is empty and {DefaultFont} is not installed (Debian package fonts-wqy-microhei). PDFs are drawn in Helvetica with English labels, and names in Chinese print as '?'. Install the package or set Documents:Font to a TrueType .ttf or .ttc with Chinese.")]
    public static partial void NoChineseFont(ILogger logger, string defaultFont);

    [LoggerMessage(7202, LogLevel.Warning, "Call {CallId}: a fax to a keyed number refused: {Reason}")]
    public static partial void KeyedFaxRefused(ILogger logger, string callId, string reason);
}
