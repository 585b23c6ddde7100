namespace CallCenter.ResourceControl.Routing;

/// <summary>Give <see cref="Call"/> to <see cref="Agent"/>; the router has already marked the agent busy and removed the call.</summary>
public sealed record RoutingAssignment(WaitingCall Call, string Agent, RoutingExplanation Explanation)
{
    public override string ToString() => Explanation.ToString();
}
