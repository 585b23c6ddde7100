using CallCenter.Data.Catalog;
using CallCenter.FaxSms.Broadcasts;

namespace CallCenter.ResourceControl.Outbound;

/// <summary>Why a client may not be called now.</summary>
internal enum OutboundBlock
{
    None,

    /// <summary>The number is on the do-not-call list: never dialled.</summary>
    DoNotCall,

    /// <summary>Outside the calling hours: the call waits until <see cref="OutboundDecision.NextAllowed"/>.</summary>
    QuietHours,

    /// <summary>
    /// Within the platform's calling hours but outside the client's own (<c>clients.call_hours</c>): the call waits until
    /// <see cref="OutboundDecision.NextAllowed"/>, the first moment both allow.
    /// </summary>
    ClientHours,
}

/// <summary>
/// What <see cref="OutboundCheck.Decide"/> says of one call: allowed or blocked (with the reason a
/// person can act on and, outside the hours, when it may go); <see cref="QuietHoursOverridden"/> when a
/// risk notice goes in the platform's quiet hours, <see cref="ClientHoursOverridden"/> when it goes outside the client's own;
/// <see cref="ClientHoursIgnored"/> when the client's hours never meet the platform's, so the platform's alone decided.
/// </summary>
internal sealed record OutboundDecision(
    OutboundBlock Block, string? Reason, DateTimeOffset? NextAllowed, bool QuietHoursOverridden, bool ClientHoursOverridden = false, bool ClientHoursIgnored = false)
{
    public bool Allowed => Block == OutboundBlock.None;

    /// <summary>Blocked by the hours (the platform's or the client's): the call waits until <see cref="NextAllowed"/>.</summary>
    public bool Waits => Block is OutboundBlock.QuietHours or OutboundBlock.ClientHours;
}

/// <summary>
/// The rules every call the platform places to a client passes before its INVITE leaves (pure): the
/// do-not-call list first (no override), then the calling hours: the platform's and, when the client has
/// some of their own, the client's too (both must allow), which only a risk notice may override.
/// </summary>
/// <remarks>
/// The client's hours are read in the platform's zone (<see cref="QuietHours.Zone"/>, <c>Outbound:TimeZone</c>). When
/// they never meet the platform's (a client's 22:00-07:00 against the platform's 08:00-21:00), waiting for both would
/// be waiting for ever: the platform's calling hours alone decide, and the decision says so
/// (<see cref="OutboundDecision.ClientHoursIgnored"/>) for the shell to warn.
/// </remarks>
internal static class OutboundCheck
{
    public static OutboundDecision Decide(DialableNumber number, string? doNotCallReason, QuietHours quiet, bool riskNotice, DateTimeOffset now, ClientCallHours? client = null)
    {
        ArgumentNullException.ThrowIfNull(number);
        ArgumentNullException.ThrowIfNull(quiet);
        if (doNotCallReason is not null)
        {
            return new(OutboundBlock.DoNotCall, $"{number.E164} is on the do-not-call list ({doNotCallReason})", null, false);
        }

        var platformOpen = !quiet.IsQuiet(now);
        var clientOpen = client is null || client.Contains(LocalTime(quiet.Zone, now));
        if (platformOpen && clientOpen)
        {
            return new(OutboundBlock.None, null, null, false);
        }

        if (riskNotice)
        {
            return new(OutboundBlock.None, null, null, QuietHoursOverridden: !platformOpen, ClientHoursOverridden: !clientOpen);
        }

        var next = NextAllowed(quiet, client, now);
        if (next is null)
        {
            // The client's hours never meet the platform's: the platform's alone.
            return platformOpen
                ? new(OutboundBlock.None, null, null, false, ClientHoursIgnored: true)
                : QuietHoursBlock(quiet, null, quiet.NextAllowed(now)) with { ClientHoursIgnored = true };
        }

        return platformOpen
            ? new(OutboundBlock.ClientHours, $"outside the client's calling hours ({client} {quiet.Zone.Id}); the call waits until {next.Value:yyyy-MM-dd HH:mm zzz}", next, false)
            : QuietHoursBlock(quiet, client, next.Value);
    }

    /// <summary>
    /// The first moment from <paramref name="at"/> on (itself when allowed) at which both the platform's calling hours and
    /// <paramref name="client"/>'s allow a call, in the platform's zone; null when the two never meet.
    /// </summary>
    public static DateTimeOffset? NextAllowed(QuietHours quiet, ClientCallHours? client, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(quiet);
        if (Allows(quiet, client, at))
        {
            return TimeZoneInfo.ConvertTime(at, quiet.Zone);
        }

        // The first moment both allow is where one of the two windows opens while the other is open: a start of either,
        // on one of the days around (each window repeats daily, so two days ahead is far enough).
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, quiet.Zone).DateTime);
        DateTimeOffset? first = null;
        for (var day = -1; day <= 2; day++)
        {
            foreach (var start in client is null ? [quiet.End] : new[] { quiet.End, client.Start })
            {
                var local = today.AddDays(day).ToDateTime(start);
                if (quiet.Zone.IsInvalidTime(local))
                {
                    continue; // a time a daylight-saving change skips
                }

                var candidate = new DateTimeOffset(local, quiet.Zone.GetUtcOffset(local));
                if (candidate > at && (first is null || candidate < first) && Allows(quiet, client, candidate))
                {
                    first = candidate;
                }
            }
        }

        return first;
    }

    /// <summary>Whether both the platform's calling hours and <paramref name="client"/>'s (when any) allow a call at <paramref name="at"/>.</summary>
    public static bool Allows(QuietHours quiet, ClientCallHours? client, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(quiet);
        return !quiet.IsQuiet(at) && (client is null || client.Contains(LocalTime(quiet.Zone, at)));
    }

    private static OutboundDecision QuietHoursBlock(QuietHours quiet, ClientCallHours? client, DateTimeOffset next) =>
        new(OutboundBlock.QuietHours, client is null
            ? $"outside the calling hours ({quiet.End:HH\\:mm}-{quiet.Start:HH\\:mm} {quiet.Zone.Id}); the call waits until {next:yyyy-MM-dd HH:mm zzz}"
            : $"outside the calling hours ({quiet.End:HH\\:mm}-{quiet.Start:HH\\:mm} {quiet.Zone.Id}, and the client's own {client}); the call waits until {next:yyyy-MM-dd HH:mm zzz}", next, false);

    private static TimeOnly LocalTime(TimeZoneInfo zone, DateTimeOffset at) => TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);
}
