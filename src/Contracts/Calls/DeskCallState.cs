namespace CallCenter.Contracts.Calls;

/// <summary>
/// Where an agent's call stands, pushed to the agent's desk on every change (<see cref="State"/> goes
/// out as <c>ringing</c>, <c>talking</c>, <c>held</c>, <c>consulting</c> or <c>ended</c>).
/// </summary>
public sealed record DeskCallState(string CallId, string Agent, DeskCallPhase State, DateTimeOffset Since, string? Detail);
