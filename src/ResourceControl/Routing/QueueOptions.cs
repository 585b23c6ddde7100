namespace CallCenter.ResourceControl.Routing;

/// <summary>One queue under <c>Routing:Queues:&lt;id&gt;</c>.</summary>
public sealed class QueueOptions
{
    /// <summary>The overflow target that offers the caller a callback instead of another queue.</summary>
    public const string Callback = "callback";

    /// <summary>Skills every agent of this queue must have (added to each call's own required skills).</summary>
    public List<string> Skills { get; set; } = [];

    /// <summary>Most callers waiting at once; a caller arriving to a full queue overflows. 0 = no limit.</summary>
    public int MaxLength { get; set; }

    /// <summary>Longest wait in this queue before the caller overflows. 0 = no limit.</summary>
    public int MaxWaitSeconds { get; set; }

    /// <summary>
    /// A closed queue takes no callers: each arriving caller overflows at once (to <see cref="Overflow"/>),
    /// e.g. a desk not staffed today. Callers already waiting stay.
    /// </summary>
    public bool Closed { get; set; }

    /// <summary>Where an overflowing caller goes: another queue's id, or <see cref="Callback"/>.</summary>
    public string Overflow { get; set; } = Callback;

    /// <summary><c>LongestIdle</c> (default), <c>FewestCalls</c> or <c>RoundRobin</c>; a string so validation can name the key.</summary>
    public string Strategy { get; set; } = nameof(RoutingStrategy.LongestIdle);

    /// <summary>The parsed <see cref="Strategy"/>; <see cref="RoutingStrategy.LongestIdle"/> when it does not parse (validation reports that).</summary>
    public RoutingStrategy ParsedStrategy =>
        Enum.TryParse<RoutingStrategy>(Strategy, ignoreCase: true, out var strategy) && Enum.IsDefined(strategy)
            ? strategy
            : RoutingStrategy.LongestIdle;

    internal bool IsCallbackOverflow => string.Equals(Overflow, Callback, StringComparison.OrdinalIgnoreCase);
}
