namespace CallCenter.ResourceControl.Agents;

/// <summary>
/// A cluster's shared agent states (issue 19): before a node rings an agent for a call it takes the agent in the cluster,
/// so no other node offers the same agent a call meanwhile. Not registered on one node, where presence alone decides.
/// </summary>
internal interface IAgentClaims
{
    /// <summary>True when this node now holds <paramref name="extension"/> for <paramref name="callId"/> (and its presence here shows the agent available); false when another node holds the agent or it is not available anywhere.</summary>
    Task<bool> ClaimAsync(string extension, string callId);

    /// <summary>A claim that led to no offer here (this node's presence refused it): the agent is free in the cluster again at once.</summary>
    Task ReleaseAsync(string extension, string callId, string why);
}
