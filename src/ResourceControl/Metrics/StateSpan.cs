namespace CallCenter.ResourceControl.Metrics;

/// <summary>A stretch of one agent's time in one state: staffed (available or busy) and busy (offered, on a call, in wrap-up).</summary>
internal readonly record struct StateSpan(DateTimeOffset From, DateTimeOffset To, bool Staffed, bool Busy);
