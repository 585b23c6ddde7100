namespace CallCenter.ResourceControl.Agents;

/// <summary>The <c>Agents</c> section: wrap-up, ring time and the missed-offer rule.</summary>
internal sealed class AgentOptions
{
    public const string Section = "Agents";

    /// <summary>Seconds of wrap-up after every call (0: straight back to available).</summary>
    public int WrapUpSeconds { get; set; } = 15;

    /// <summary>Offers missed in a row (timed out or rejected) that put the agent on a "no answer" break.</summary>
    public int MaxMissedOffers { get; set; } = 2;

    /// <summary>How long an offered call rings on the agent's phone before it goes to the next agent.</summary>
    public int RingTimeoutSeconds { get; set; } = 20;

    public TimeSpan WrapUp => TimeSpan.FromSeconds(WrapUpSeconds);

    public TimeSpan RingTimeout => TimeSpan.FromSeconds(RingTimeoutSeconds);

    /// <summary>One message per bad key, naming it.</summary>
    public IEnumerable<string> Validate()
    {
        if (WrapUpSeconds is < 0 or > 3600)
        {
            yield return $"Agents:WrapUpSeconds ({WrapUpSeconds}) must be between 0 and 3600.";
        }

        if (MaxMissedOffers is < 1 or > 100)
        {
            yield return $"Agents:MaxMissedOffers ({MaxMissedOffers}) must be between 1 and 100.";
        }

        if (RingTimeoutSeconds is < 1 or > 600)
        {
            yield return $"Agents:RingTimeoutSeconds ({RingTimeoutSeconds}) must be between 1 and 600.";
        }
    }
}
