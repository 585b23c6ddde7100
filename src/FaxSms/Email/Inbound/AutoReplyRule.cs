using MimeKit;

namespace CallCenter.FaxSms.Email.Inbound;

/// <summary>
/// Whether a mail was sent by a machine, not a person (pure): such mail is kept but never made a task and
/// never acknowledged, or two auto-responders would answer each other for ever (RFC 3834 section 2).
/// </summary>
public static class AutoReplyRule
{
    private static readonly string[] _daemonLocalParts = ["mailer-daemon", "postmaster", "noreply", "no-reply", "do-not-reply", "donotreply"];

    /// <summary>The reason the mail is automatic, or null for a person's mail.</summary>
    public static string? Classify(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var headers = message.Headers;
        if (headers[HeaderId.AutoSubmitted] is { } submitted && !submitted.Trim().StartsWith("no", StringComparison.OrdinalIgnoreCase))
        {
            // RFC 3834 section 5: any value but "no" means automatic.
            return $"Auto-Submitted: {submitted.Trim()}";
        }

        if (headers["Precedence"] is { } precedence && precedence.Trim().ToLowerInvariant() is "bulk" or "junk" or "list" or "auto_reply")
        {
            return $"Precedence: {precedence.Trim()}";
        }

        foreach (var header in new[] { "X-Autoreply", "X-Autorespond" })
        {
            if (headers.Contains(header))
            {
                return $"{header} is present";
            }
        }

        if (message.Body is MultipartReport report)
        {
            // RFC 6522: delivery status notifications (bounces) and read receipts.
            return $"a {report.ContentType.MimeType}; report-type={report.ReportType}";
        }

        if (headers[HeaderId.ReturnPath] is { } returnPath && returnPath.Trim() == "<>")
        {
            // RFC 5321 section 4.5.5: the null reverse-path marks a notification.
            return "Return-Path: <>";
        }

        var from = message.From.Mailboxes.FirstOrDefault()?.Address ?? "";
        var at = from.IndexOf('@', StringComparison.Ordinal);
        var local = (at < 0 ? from : from[..at]).ToLowerInvariant();
        return _daemonLocalParts.Contains(local) ? $"sent by {from}" : null;
    }
}
