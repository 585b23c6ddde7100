namespace CallCenter.Contracts.Agents;

/// <summary>
/// An agent as the desk and the REST API show it; <paramref name="EmailTask"/> is the accepted e-mail task
/// they are handling (their state is then <c>email</c> when they would otherwise be available).
/// </summary>
public sealed record AgentSnapshot(string Id, string State, bool Registered, DateTimeOffset Since, string? Reason, string? CallId, string? EmailTask = null);
