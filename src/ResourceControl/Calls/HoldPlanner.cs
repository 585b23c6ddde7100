using System.Net;
using CallCenter.Telephony.Sdp;

namespace CallCenter.ResourceControl.Calls;

/// <summary>What a hold or resume does: whether anything changes, and the hold seconds the resume adds to the call.</summary>
internal readonly record struct HoldPlan(bool Changed, double HoldSecondsAdded)
{
    public static readonly HoldPlan Unchanged = new(false, 0);
}

/// <summary>
/// Hold and resume of a bridged call, pure: from the phone's re-INVITE (RFC 3264 8.4) or the desk.
/// Only the call's current agent leg, on a live call, changes state; holding twice or resuming a
/// call not on hold changes nothing; a resume adds the time since the hold started.
/// </summary>
internal static class HoldPlanner
{
    public static HoldPlan Plan(bool ended, bool isCallsAgentLeg, bool onHold, DateTimeOffset? holdStartedAt, bool hold, DateTimeOffset now)
    {
        if (ended || !isCallsAgentLeg || hold == onHold)
        {
            return HoldPlan.Unchanged;
        }

        var added = !hold && holdStartedAt is { } since ? (now - since).TotalSeconds : 0;
        return new HoldPlan(true, added);
    }

    /// <summary>An offer that puts the call on hold: sendonly or inactive (RFC 3264 8.4), or the old c=0.0.0.0 form (RFC 2543).</summary>
    public static bool IsHoldOffer(SdpDirection direction, IPAddress address) =>
        direction.IsHold() || address.Equals(IPAddress.Any);

    /// <summary>The desk's answer to hold or resume.</summary>
    public static string Describe(bool hold, bool changed) => (hold, changed) switch
    {
        (true, true) => "the caller hears music",
        (true, false) => "the call was already on hold",
        (false, true) => "the caller and the agent hear each other again",
        (false, false) => "the call was not on hold",
    };
}
