namespace CallCenter.ResourceControl.Routing;

/// <summary>One candidate a decision weighed: a call id with its score, or an agent extension with its strategy measure.</summary>
public sealed record RoutingCandidate(string Id, string Measure)
{
    public override string ToString() => $"{Id} ({Measure})";
}
