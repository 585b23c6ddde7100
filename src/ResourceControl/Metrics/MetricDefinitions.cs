namespace CallCenter.ResourceControl.Metrics;

/// <summary>
/// The definition of every figure of <c>GET /api/metrics</c>, keyed by its JSON name, returned beside the
/// figures so that a wallboard or a report can print what each number means.
/// </summary>
internal static class MetricDefinitions
{
    /// <summary>The texts, in the order a report prints them; T is <c>serviceLevelSeconds</c>.</summary>
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>
    {
        ["period"] = "from/to: one calendar day in the server's local time zone; intervals of intervalMinutes from its start, the last one cut at its end. A call counts in the interval in which it entered the queue (its start if it has no queue time); calls count once they have ended.",
        ["outbound"] = "outbound calls started in the period (callbacks, call list calls, click-to-dial) that rang the client: attempts; contacts: those the client answered (outcome reached), not those the agent's wrap-up found a wrong number or a client who refused (outcome wrong-number, refused), as a call list counts its entries; contactRate = contacts / attempts; attemptsPerContact = attempts / contacts. An attempt whose agent left before the client was rung, or that the platform's stop cut short, is not counted",
        ["vipLineTurnedAway"] = "calls started in the period that a VIP line turned away because the caller is below its tiers or unknown (their IVR path passed the flow's vipOnly node: the notice that the line is for VIP clients, then the main menu)",
        ["offered"] = "calls that entered an agent queue; calls turned away because the queue was full (queue-full) and calls that never reached a queue (IVR only) are not offered",
        ["answered"] = "offered calls an agent answered",
        ["abandoned"] = "offered calls no agent answered whose caller hung up while waiting (caller-hung-up, cancelled); calls sent to a callback, interrupted or otherwise ended by the platform are neither answered nor abandoned",
        ["answeredWithinThreshold"] = "answered calls that waited at most T seconds from entering the queue to the agent's answer (T = serviceLevelSeconds)",
        ["abandonedWithinThreshold"] = "abandoned calls whose caller hung up after waiting at most T seconds (short abandons)",
        ["serviceLevel"] = "answered within T seconds / answered",
        ["serviceLevelWithAbandons"] = "answered within T seconds / (answered + abandoned after T seconds): a caller who gave up after waiting longer than T counts as a call not answered in time; one who gave up within T is left out",
        ["averageSpeedOfAnswerSeconds"] = "mean wait in seconds, from entering the queue to the agent's answer, of answered calls (ASA)",
        ["abandonmentRate"] = "abandoned / offered",
        ["averageHandleTimeSeconds"] = "mean of talk + hold + wrap-up seconds of answered calls (AHT)",
        ["occupancy"] = "time agents were offered a call, on a call or in wrap-up / time they were staffed (available, offered, on a call or in wrap-up), from the agents' state changes; break and offline are not staffed. An agent's state at the start is their last change in the day before, else the 'from' of their first change in the period, else offline (unknown); time after asOf is not counted. Overall sums all agents' times.",
        ["byTier"] = "callers without a client tier are counted under \"ordinary\"",
        ["ratios"] = "ratios are fractions from 0 to 1, and null when their denominator is 0",
    };
}
