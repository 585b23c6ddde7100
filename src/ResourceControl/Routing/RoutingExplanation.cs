using System.Globalization;
using System.Text;

namespace CallCenter.ResourceControl.Routing;

/// <summary>Why a call went to an agent: logged and shown to supervisors.</summary>
/// <param name="CallId">The call.</param>
/// <param name="Queue">The call's queue.</param>
/// <param name="Tier">The caller's tier; null for ordinary.</param>
/// <param name="Agent">The chosen agent's extension.</param>
/// <param name="Rule">The rule applied.</param>
/// <param name="Trigger">What started the decision ("call arrived", "agent 1001 available", ...).</param>
/// <param name="WaitedSeconds">Seconds the caller had waited.</param>
/// <param name="TierBonusSeconds">The tier's bonus seconds.</param>
/// <param name="PrioritySeconds">The IVR priority hint times <see cref="RoutingOptions.PriorityHintSeconds"/>.</param>
/// <param name="CallsConsidered">Waiting calls the agent could have taken (1 when a call looked for an agent).</param>
/// <param name="AgentsConsidered">Available agents that could have taken the call (1 when an agent looked for a call).</param>
/// <param name="TopCandidates">The best few candidates on the side that was chosen among, best first.</param>
/// <param name="Priority">How the call's queue orders callers: head start (score) or strict (tier first).</param>
/// <param name="TierWeight">The tier's routing weight: the bonus of a head start, the rank of a strict queue.</param>
/// <param name="GuardSeconds">The strict queue's starvation guard; 0 when there is none.</param>
/// <param name="Business">
/// With several businesses (<c>Tiers:Businesses</c>), the business whose scheme the tier is of (<c>securities</c>,
/// <c>futures</c>): both schemes' weights are on one scale, and the text says whose each is. Null with one business.
/// </param>
public sealed record RoutingExplanation(
    string CallId,
    string Queue,
    string? Tier,
    string Agent,
    RoutingRule Rule,
    string Trigger,
    double WaitedSeconds,
    int TierBonusSeconds,
    int PrioritySeconds,
    int CallsConsidered,
    int AgentsConsidered,
    IReadOnlyList<RoutingCandidate> TopCandidates,
    QueuePriority Priority = QueuePriority.HeadStart,
    int TierWeight = 0,
    int GuardSeconds = 0,
    string? Business = null)
{
    /// <summary>Seconds waited + tier bonus + priority part: the number calls are ordered by (after the tier, in a strict queue).</summary>
    public double Score => WaitedSeconds + TierBonusSeconds + PrioritySeconds;

    public override string ToString()
    {
        var text = new StringBuilder();
        var tier = Business is null ? Tier ?? "ordinary" : $"{Tier ?? "ordinary"} of {Business}";
        text.Append(CultureInfo.InvariantCulture, $"call {CallId} ({tier}, queue {Queue}) -> agent {Agent} by {Rule} on {Trigger}; ");
        if (Rule == RoutingRule.RiskNotice)
        {
            text.Append("risk notice (margin call / forced liquidation): goes ahead of every waiting caller and ordinary callback, whatever their tier or wait; ");
        }

        if (Rule == RoutingRule.StarvationGuard)
        {
            text.Append(CultureInfo.InvariantCulture, $"strict priority, but waited {WaitedSeconds:0.0} s, past the {GuardSeconds} s starvation guard: ahead of every tier; ");
        }
        else if (Priority == QueuePriority.Strict)
        {
            text.Append(CultureInfo.InvariantCulture, $"strict priority: tier weight {TierWeight} first, then score {Score:0.0} s = waited {WaitedSeconds:0.0} s + priority {PrioritySeconds} s; ");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"score {Score:0.0} s = waited {WaitedSeconds:0.0} s + tier {TierBonusSeconds} s + priority {PrioritySeconds} s; ");
        }

        text.Append(CultureInfo.InvariantCulture, $"considered {CallsConsidered} call(s), {AgentsConsidered} agent(s)");
        if (TopCandidates.Count > 0)
        {
            text.Append("; top: ").AppendJoin(", ", TopCandidates);
        }

        return text.ToString();
    }
}
