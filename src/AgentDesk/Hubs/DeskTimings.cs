namespace CallCenter.AgentDesk.Hubs;

/// <summary>The host's timings the desk shows (the wrap-up timer); the host registers its own before <c>AddAgentDesk</c>.</summary>
public sealed record DeskTimings(int WrapUpSeconds);
