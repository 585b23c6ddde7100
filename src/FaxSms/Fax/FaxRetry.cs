namespace CallCenter.FaxSms.Fax;

/// <summary>
/// What an outbound fax's attempt leaves (pure): sent when T.30 ended well; otherwise another attempt
/// later while attempts remain and the failure may pass (busy, no answer, a dropped or broken call),
/// starting after the pages already sent (T.30 confirms each page, MCF, so those are not sent again);
/// and at the end "partial" when some pages went across, "failed" when none did.
/// </summary>
public static class FaxRetry
{
    // spandsp's T30_ERR_FILEERROR .. T30_ERR_NOMEM (t30.h): our document, not the line. Trying again changes nothing.
    private const int FirstDocumentError = 41;
    private const int LastDocumentError = 47;

    public static FaxDecision Decide(FaxAttempt attempt, int pagesBefore, int attempts, int maxAttempts, DateTimeOffset now, TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        if (attempt.HeldUntil is { } until)
        {
            // Not dialled now (quiet hours): queued again for the allowed time, whatever the attempts so far.
            return new FaxDecision(FaxStatus.Queued, pagesBefore, until);
        }

        var pages = pagesBefore + (attempt.Result?.Pages ?? 0);
        if (attempt.Result is { Succeeded: true })
        {
            return new FaxDecision(FaxStatus.Sent, pages, null);
        }

        if (attempts < maxAttempts && MayPass(attempt))
        {
            return new FaxDecision(FaxStatus.Queued, pages, now + retryAfter);
        }

        return new FaxDecision(pages > 0 ? FaxStatus.Partial : FaxStatus.Failed, pages, null);
    }

    /// <summary>
    /// Busy (486, 600), no answer (408, 480, 487 after our CANCEL), unavailable (500, 503), or a call that broke: worth
    /// another try. A wrong address, a refused offer, a remote that declines the call (603: RFC 3261 21.6.2, the callee
    /// "explicitly does not wish to" take it) or a bad document is not.
    /// </summary>
    public static bool MayPass(FaxAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        if (attempt.Refused)
        {
            return false;
        }

        if (attempt.Result is { } result)
        {
            return result.Code is < FirstDocumentError or > LastDocumentError;
        }

        return attempt.SipStatus is 0 or 408 or 480 or 486 or 487 or 500 or 503 or 600;
    }
}

/// <summary>The row's next status, its pages sent so far, and when to try again (null: no more attempts).</summary>
public sealed record FaxDecision(string Status, int Pages, DateTimeOffset? NextAttemptAt);
