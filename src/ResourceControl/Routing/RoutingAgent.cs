namespace CallCenter.ResourceControl.Routing;

/// <summary>
/// An agent as the router sees it. Only the router changes it: its ordering keys
/// (<see cref="AvailableSince"/>, <see cref="CallsHandledToday"/>) change only while it is out of every sorted pool.
/// </summary>
public sealed class RoutingAgent
{
    internal RoutingAgent(string extension, IReadOnlySet<string> skills, int callsHandledToday)
    {
        Extension = extension;
        Skills = skills;
        CallsHandledToday = callsHandledToday;
    }

    public string Extension { get; }

    /// <summary>Skills such as "zh", "en", "stocks", "futures", "complaints" (case-insensitive).</summary>
    public IReadOnlySet<string> Skills { get; internal set; }

    /// <summary>Since when the agent is available (longest idle); null while not available.</summary>
    public DateTimeOffset? AvailableSince { get; internal set; }

    /// <summary>Calls the router gave this agent today (fewest calls).</summary>
    public int CallsHandledToday { get; internal set; }

    public bool IsAvailable => AvailableSince is not null;

    public bool IsLoggedIn { get; internal set; }

    public override string ToString() => Extension;
}
