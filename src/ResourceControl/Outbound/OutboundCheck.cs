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
}

/// <summary>
/// What <see cref="OutboundCheck.Decide"/> says of one call: allowed or blocked (with the reason a
/// person can act on and, in quiet hours, when it may go); <see cref="QuietHoursOverridden"/> when a
/// risk notice goes in quiet hours.
/// </summary>
internal sealed record OutboundDecision(OutboundBlock Block, string? Reason, DateTimeOffset? NextAllowed, bool QuietHoursOverridden)
{
    public bool Allowed => Block == OutboundBlock.None;
}

/// <summary>
/// The rules every call the platform places to a client passes before its INVITE leaves (pure): the
/// do-not-call list first (no override), then the calling hours, which only a risk notice may override.
/// </summary>
internal static class OutboundCheck
{
    public static OutboundDecision Decide(DialableNumber number, string? doNotCallReason, QuietHours quiet, bool riskNotice, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(number);
        ArgumentNullException.ThrowIfNull(quiet);
        if (doNotCallReason is not null)
        {
            return new(OutboundBlock.DoNotCall, $"{number.E164} is on the do-not-call list ({doNotCallReason})", null, false);
        }

        if (!quiet.IsQuiet(now))
        {
            return new(OutboundBlock.None, null, null, false);
        }

        if (riskNotice)
        {
            return new(OutboundBlock.None, null, null, true);
        }

        var next = quiet.NextAllowed(now);
        return new(OutboundBlock.QuietHours, $"outside the calling hours ({quiet.End:HH\\:mm}-{quiet.Start:HH\\:mm} {quiet.Zone.Id}); the call waits until {next:yyyy-MM-dd HH:mm zzz}", next, false);
    }
}
