using CallCenter.Contracts.Calls;
using CallCenter.Telephony.Media;

namespace CallCenter.ResourceControl.Calls;

/// <summary>What a supervisor's monitor request does to the call.</summary>
internal enum MonitorStep
{
    /// <summary>Refused: <see cref="MonitorPlan.Refusal"/> says why.</summary>
    Refused,

    /// <summary>The same supervisor is already ringing or joined: only the mode changes.</summary>
    ChangeMode,

    /// <summary>Nobody monitors the call: the supervisor's phone is rung.</summary>
    Ring,
}

internal readonly record struct MonitorPlan(MonitorStep Step, CallControlResult? Refusal);

/// <summary>
/// Listen, whisper and barge decisions, pure: a bridged call not in a consultation takes one
/// supervisor at a time; the same supervisor asking again changes the mode; the modes' names.
/// </summary>
internal static class MonitorPlanner
{
    /// <param name="currentSupervisor">The supervisor ringing or joined on the call now, or null.</param>
    public static MonitorPlan Plan(string callId, BridgeState bridge, string? currentSupervisor, string supervisor)
    {
        if (BridgeCheck.Refusal(callId, bridge) is { } refused)
        {
            return new MonitorPlan(MonitorStep.Refused, refused);
        }

        if (currentSupervisor is null)
        {
            return new MonitorPlan(MonitorStep.Ring, null);
        }

        return currentSupervisor == supervisor
            ? new MonitorPlan(MonitorStep.ChangeMode, null)
            : new MonitorPlan(MonitorStep.Refused, AlreadyMonitored(callId, currentSupervisor));
    }

    /// <summary>
    /// After the look-ups the ring waited for (the loop awaited the database): the call may have
    /// changed meanwhile; any supervisor on it now, even the same one, refuses this ring.
    /// </summary>
    public static CallControlResult? LateRefusal(string callId, BridgeState bridge, string? currentSupervisor) =>
        BridgeCheck.Refusal(callId, bridge)
        ?? (currentSupervisor is { } other ? AlreadyMonitored(callId, other) : null);

    public static MonitorMix ToMix(MonitorMode mode) => mode switch
    {
        MonitorMode.Listen => MonitorMix.Listen,
        MonitorMode.Whisper => MonitorMix.Whisper,
        MonitorMode.Barge => MonitorMix.Barge,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "listen, whisper or barge"),
    };

    public static string ModeName(MonitorMix mix) => mix switch
    {
        MonitorMix.Listen => "listen",
        MonitorMix.Whisper => "whisper",
        _ => "barge",
    };

    private static CallControlResult AlreadyMonitored(string callId, string supervisor) =>
        new(CallControlError.TargetUnavailable, $"call {callId} is already monitored by {supervisor}");
}
