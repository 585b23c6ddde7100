namespace CallCenter.Contracts.Calls;

/// <summary>
/// Where an agent's call stands, pushed to the agent's desk on every change. <see cref="State"/> is one of
/// <c>ringing</c>, <c>talking</c>, <c>held</c>, <c>consulting</c>, <c>ended</c>.
/// </summary>
public sealed record DeskCallState(string CallId, string Agent, string State, DateTimeOffset Since, string? Detail);
