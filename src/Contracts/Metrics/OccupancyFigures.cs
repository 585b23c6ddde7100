namespace CallCenter.Contracts.Metrics;

/// <summary>Occupancy of all agents together and of each agent (by extension) who was staffed in the period.</summary>
public sealed record OccupancyFigures(AgentOccupancy Overall, IReadOnlyDictionary<string, AgentOccupancy> ByAgent);
