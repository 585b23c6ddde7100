namespace CallCenter.ResourceControl.Agents;

/// <summary>
/// A state asked for while the agent is busy with a call (Break or Offline); it takes effect when wrap-up ends,
/// so that a call is never cut off by a change of presence.
/// </summary>
internal sealed record AgentPending(AgentStatus Status, string Reason);
