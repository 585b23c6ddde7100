using Microsoft.Extensions.Logging;

namespace CallCenter.Notices;

/// <summary>The Notices room's log lines (event ids 8010–8099). Announcement texts are not logged, only their ids.</summary>
internal static partial class NoticesLog
{
    [LoggerMessage(8010, LogLevel.Information, "Announcement {Id} created from a {Source} ({Language}, {Seconds:0.0} s) by {CreatedBy}")]
    public static partial void Created(ILogger logger, long id, string source, string language, double seconds, string createdBy);

    [LoggerMessage(8011, LogLevel.Information, "Announcement refused ({Field}): {Reason}")]
    public static partial void Refused(ILogger logger, string field, string reason);

    [LoggerMessage(8012, LogLevel.Warning, "Announcement text could not be spoken: {Reason}")]
    public static partial void SpeechFailed(ILogger logger, string reason);

    [LoggerMessage(8013, LogLevel.Information, "Announcement {Id} deleted by {DeletedBy}")]
    public static partial void Deleted(ILogger logger, long id, string deletedBy);
}
