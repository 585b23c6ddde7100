namespace CallCenter.AgentDesk.Hubs;

/// <summary>What a hub action answers when it was done (a refusal is a HubException instead).</summary>
public sealed record HubResult(bool Ok, string Message)
{
    public static HubResult Of(string message) => new(true, message);
}
