using System.Globalization;

namespace CallCenter.ResourceControl.Routing;

/// <summary>A caller leaves <see cref="FromQueue"/>: to <see cref="TargetQueue"/>, or to a callback offer.</summary>
/// <param name="Call">The call (with its original queue).</param>
/// <param name="FromQueue">The queue it leaves.</param>
/// <param name="Reason">Full queue or maximum wait.</param>
/// <param name="Action">Move or callback.</param>
/// <param name="TargetQueue">The queue it moves to; null for a callback.</param>
/// <param name="Limit">The limit that was reached (callers for a full queue, seconds for a wait).</param>
/// <param name="Observed">What was observed against it (callers waiting, seconds waited in the queue).</param>
public sealed record OverflowDecision(
    WaitingCall Call,
    string FromQueue,
    OverflowReason Reason,
    OverflowAction Action,
    string? TargetQueue,
    int Limit,
    double Observed)
{
    public override string ToString()
    {
        var why = Reason switch
        {
            OverflowReason.QueueFull => string.Create(CultureInfo.InvariantCulture, $"queue full ({Observed:0} waiting, max {Limit})"),
            OverflowReason.QueueClosed => "queue closed",
            _ => string.Create(CultureInfo.InvariantCulture, $"waited {Observed:0.0} s in queue, max {Limit} s"),
        };
        var to = Action == OverflowAction.Callback ? "callback offered" : $"moved to queue {TargetQueue}";
        return $"call {Call.Id} ({Call.Tier ?? "ordinary"}) overflows queue {FromQueue}: {why}; {to}";
    }
}
