namespace CallCenter.ResourceControl.Agents;

/// <summary>An agent the router may offer a call to: idle since <paramref name="AvailableSince"/>, with the calls answered today.</summary>
internal sealed record AvailableAgent(string Extension, DateTimeOffset AvailableSince, int CallsToday);
