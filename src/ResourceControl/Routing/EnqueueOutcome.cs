namespace CallCenter.ResourceControl.Routing;

/// <summary>
/// What became of a call handed to the router: given to an agent at once, overflowed (possibly through several
/// queues), or waiting (<see cref="Waiting"/>), perhaps held for its busy account manager (<see cref="HeldForManager"/>).
/// </summary>
public sealed record EnqueueOutcome(RoutingAssignment? Assignment, IReadOnlyList<OverflowDecision> Overflows, string? WaitingIn, bool HeldForManager)
{
    public bool Waiting => WaitingIn is not null;
}
