namespace CallCenter.Ivr.Flows;

/// <summary>A node of a flow.</summary>
internal readonly record struct IvrTarget(string FlowId, string NodeId)
{
    public override string ToString() => FlowId + "." + NodeId;
}
