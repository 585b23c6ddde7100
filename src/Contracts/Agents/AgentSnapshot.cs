namespace CallCenter.Contracts.Agents;

/// <summary>An agent as the desk and the REST API show it.</summary>
public sealed record AgentSnapshot(string Id, string State, bool Registered, DateTimeOffset Since, string? Reason, string? CallId);
