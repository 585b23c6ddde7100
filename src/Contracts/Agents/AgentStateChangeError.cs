namespace CallCenter.Contracts.Agents;

/// <summary>Why a state change request was refused; <see cref="None"/> when it was accepted.</summary>
public enum AgentStateChangeError
{
    None,
    UnknownAgent,
    UnknownState,
    Refused,
}
