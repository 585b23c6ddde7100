namespace CallCenter.FaxSms.Broadcasts;

/// <summary>
/// When each message of a broadcast may go (pure): spaced by the channel's rate limit from the start,
/// and never in quiet hours unless told to ignore them (a risk notice, an e-mail): a message that
/// would fall in them waits for their end, and the ones after it keep their spacing from there. The
/// times are written with each outbox row, so the plan survives a restart and the worker needs no
/// rate limiter of its own.
/// </summary>
public static class BroadcastPlan
{
    public static IReadOnlyList<DateTimeOffset> SendTimes(int count, DateTimeOffset start, double perSecond, QuietHours quiet, bool ignoreQuietHours)
    {
        ArgumentNullException.ThrowIfNull(quiet);
        var times = new DateTimeOffset[count];
        var spacing = TimeSpan.FromSeconds(1 / perSecond);
        var next = start;
        for (var i = 0; i < count; i++)
        {
            if (!ignoreQuietHours)
            {
                next = quiet.NextAllowed(next);
            }

            times[i] = next;
            next += spacing;
        }

        return times;
    }
}
