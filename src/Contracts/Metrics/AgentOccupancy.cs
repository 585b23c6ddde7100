namespace CallCenter.Contracts.Metrics;

/// <summary>
/// Staffed time (available, offered, on a call or in wrap-up) and busy time (offered, on a call or in
/// wrap-up) in seconds; <see cref="Occupancy"/> is busy / staffed, null when the agent was not staffed.
/// </summary>
public sealed record AgentOccupancy(double StaffedSeconds, double BusySeconds, double? Occupancy);
