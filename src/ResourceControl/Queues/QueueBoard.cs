using CallCenter.Contracts.Queues;
using CallCenter.ResourceControl.Clients;

namespace CallCenter.ResourceControl.Queues;

/// <summary>
/// The queues as the desk room sees them, over the one ACD (<see cref="AcdQueues"/>): each waiting caller's tier
/// named and coloured as the configured scheme says (as the agent's pop does), and a supervisor's pick of a waiting
/// caller for an agent, which the ACD itself carries out.
/// </summary>
internal sealed class QueueBoard(AcdQueues queues, TierOptions tiers) : IQueueStates, IQueuePicks
{
    public IReadOnlyList<QueueView> List()
    {
        var scheme = tiers.ActiveTiers();
        return [.. queues.List().Select(q => q with { Callers = [.. q.Callers.Select(c => Named(c, scheme))] })];
    }

    public async Task<QueuePickResult> PickAsync(string callId, string agent, string pickedBy)
    {
        ArgumentNullException.ThrowIfNull(callId);
        ArgumentNullException.ThrowIfNull(agent);
        // In a cluster the ACD is the cluster's (this node's queues know no agent): the pick goes through its shared store.
        var error = queues.ClusterPick is { } cluster
            ? await cluster(callId, agent, pickedBy ?? "?")
            : queues.Pick(callId, agent, pickedBy ?? "?");
        return new(error, error switch
        {
            QueuePickError.None => $"call {callId} goes to agent {agent}: their phone rings",
            QueuePickError.CallNotWaiting => $"call {callId} is no longer waiting (the caller hung up or is already with an agent)",
            QueuePickError.Unavailable => "the cluster's shared store (PostgreSQL) did not answer in time: the pick was most likely not taken; check the wallboard before asking again",
            _ => $"agent {agent} is not available (not signed in, on a call, in wrap-up or on a break)",
        });
    }

    private static WaitingCallerView Named(WaitingCallerView caller, IReadOnlyList<TierDefinition> scheme)
    {
        var tier = caller.Tier is null ? null : scheme.FirstOrDefault(t => string.Equals(t.Name, caller.Tier, StringComparison.OrdinalIgnoreCase));
        return tier is null ? caller : caller with { TierZh = tier.Zh, TierEn = tier.En, TierColour = tier.Colour };
    }
}
