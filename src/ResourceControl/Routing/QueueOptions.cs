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

    /// <summary>
    /// <c>headStart</c> (default: the tier adds seconds to the wait) or <c>strict</c> (tier first, then the wait); a string
    /// so validation can name the key. See <see cref="QueuePriority"/>.
    /// </summary>
    public string Priority { get; set; } = "headStart";

    /// <summary>
    /// Strict queues only: a caller who has waited this long (from first entering a queue) goes next, ahead of every
    /// tier; among several such callers the one past it longest. 0 = no guard.
    /// </summary>
    public int StarvationGuardSeconds { get; set; }

    /// <summary>The parsed <see cref="Priority"/>; <see cref="QueuePriority.HeadStart"/> when it does not parse (validation reports that).</summary>
    public QueuePriority ParsedPriority =>
        Enum.TryParse<QueuePriority>(Priority, ignoreCase: true, out var priority) && Enum.IsDefined(priority) && !int.TryParse(Priority, out _)
            ? priority
            : QueuePriority.HeadStart;

    internal bool IsCallbackOverflow => string.Equals(Overflow, Callback, StringComparison.OrdinalIgnoreCase);
}
