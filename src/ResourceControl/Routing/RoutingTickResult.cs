namespace CallCenter.ResourceControl.Routing;

/// <summary>What a time step did: calls released from a relationship hold and given to agents, and overflows by wait.</summary>
public sealed record RoutingTickResult(IReadOnlyList<RoutingAssignment> Assignments, IReadOnlyList<OverflowDecision> Overflows);
