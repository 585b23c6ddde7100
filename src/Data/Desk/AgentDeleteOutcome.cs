namespace CallCenter.Data.Desk;

/// <summary>What deleting an agent came to.</summary>
public enum AgentDeleteOutcome
{
    Deleted,
    NotFound,

    /// <summary>Clients name the agent as their account manager: they must be given another one first.</summary>
    AccountManager,
}
