using System.Globalization;

namespace CallCenter.ResourceControl.Routing;

/// <summary>The <c>Routing</c> section: tier bonuses, queues, relationship routing and wait estimates.</summary>
public sealed class RoutingOptions
{
    public const string Section = "Routing";

    /// <summary>
    /// Each tier's routing weight (case-insensitive): in a <c>headStart</c> queue the seconds added to a caller's score, in
    /// a <c>strict</c> queue the order of tiers (a higher weight first). A tier not listed, and an unknown (ordinary)
    /// caller, get 0. Firms set their own tiers, so these are defaults, not rules.
    /// </summary>
    public Dictionary<string, int> TierBonusSeconds { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Diamond"] = 600,
        ["Platinum"] = 400,
        ["Gold"] = 240,
        ["Quality"] = 60,
        ["Effective"] = 0,
        ["Dormant"] = 0,
    };

    /// <summary>Queues by id (case-insensitive); a call for a queue not listed uses a queue with no skills or limits.</summary>
    public Dictionary<string, QueueOptions> Queues { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long a call waits for its own account manager who is logged in but busy before anyone may take it.</summary>
    public int RelationshipOfferSeconds { get; set; } = 30;

    /// <summary>Seconds of score per step of the IVR's priority hint (hint 2 with 30 here adds 60 s).</summary>
    public int PriorityHintSeconds { get; set; } = 30;

    /// <summary>How many recent handle times the wait estimate averages.</summary>
    public int HandleTimeSamples { get; set; } = 50;

    /// <summary>The handle time assumed before any call was handled.</summary>
    public int DefaultHandleSeconds { get; set; } = 180;

    /// <summary>The most a wait estimate announces; longer estimates are capped to this.</summary>
    public int MaxEstimatedWaitSeconds { get; set; } = 1800;

    /// <summary>How often a waiting caller hears their position and estimated wait; 0 turns it off.</summary>
    public int AnnouncementSeconds { get; set; } = 30;

    private IReadOnlyDictionary<string, string> _businessOfTier = new Dictionary<string, string>();

    /// <summary>
    /// With several businesses (<c>Tiers:Businesses</c>), each tier's business (<c>securities</c>, <c>futures</c>, or
    /// <c>futures/securities</c> for a tier both schemes share), named in the routing explanation; set by the host, not
    /// by configuration.
    /// </summary>
    public void NameBusinesses(IReadOnlyDictionary<string, string> businessOfTier) =>
        _businessOfTier = businessOfTier ?? throw new ArgumentNullException(nameof(businessOfTier));

    /// <summary>The business of a tier as <see cref="NameBusinesses"/> gave it; null with one business, or for an unknown caller.</summary>
    public string? BusinessOf(string? tier) => tier is not null && _businessOfTier.TryGetValue(tier, out var business) ? business : null;

    /// <summary>
    /// These options for the cluster's leader (issue 19), which routes every node's waiting callers at once: the same
    /// tiers, weights, strategies, skills and relationship hold, but no queue limit (length, wait, closed), since the
    /// node holding a caller applies those to its own callers and the leader must never overflow a caller itself.
    /// </summary>
    public RoutingOptions ForClusterLeader()
    {
        var copy = new RoutingOptions
        {
            TierBonusSeconds = new Dictionary<string, int>(TierBonusSeconds, StringComparer.OrdinalIgnoreCase),
            RelationshipOfferSeconds = RelationshipOfferSeconds,
            PriorityHintSeconds = PriorityHintSeconds,
            HandleTimeSamples = HandleTimeSamples,
            DefaultHandleSeconds = DefaultHandleSeconds,
            MaxEstimatedWaitSeconds = MaxEstimatedWaitSeconds,
            AnnouncementSeconds = AnnouncementSeconds,
            _businessOfTier = _businessOfTier,
        };
        foreach (var (id, queue) in Queues)
        {
            copy.Queues[id] = new QueueOptions
            {
                Skills = [.. queue.Skills],
                Strategy = queue.Strategy,
                Priority = queue.Priority,
                StarvationGuardSeconds = queue.StarvationGuardSeconds,
                Overflow = queue.Overflow,
            };
        }

        return copy;
    }

    /// <summary>The bonus for a tier; 0 for null (ordinary) and for tiers not configured.</summary>
    public int BonusFor(string? tier) =>
        tier is not null && TierBonusSeconds.TryGetValue(tier, out var bonus) ? bonus : 0;

    /// <summary>Every problem found, each naming its configuration key; empty when the options are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        foreach (var (tier, bonus) in TierBonusSeconds)
        {
            if (bonus < 0)
            {
                errors.Add(Invariant($"{Section}:TierBonusSeconds:{tier} must be 0 or more (is {bonus})."));
            }
        }

        NotNegative(errors, nameof(RelationshipOfferSeconds), RelationshipOfferSeconds);
        NotNegative(errors, nameof(PriorityHintSeconds), PriorityHintSeconds);
        Positive(errors, $"{Section}:{nameof(HandleTimeSamples)}", HandleTimeSamples);
        Positive(errors, $"{Section}:{nameof(DefaultHandleSeconds)}", DefaultHandleSeconds);
        Positive(errors, $"{Section}:{nameof(MaxEstimatedWaitSeconds)}", MaxEstimatedWaitSeconds);
        if (AnnouncementSeconds < 0)
        {
            errors.Add($"{Section}:{nameof(AnnouncementSeconds)} must be 0 (off) or more, not {AnnouncementSeconds}.");
        }

        foreach (var (id, queue) in Queues)
        {
            var key = $"{Section}:Queues:{id}";
            if (queue is null)
            {
                errors.Add($"{key} is empty.");
                continue;
            }

            if (queue.MaxLength < 0)
            {
                errors.Add(Invariant($"{key}:MaxLength must be 0 (no limit) or more (is {queue.MaxLength})."));
            }

            if (queue.MaxWaitSeconds < 0)
            {
                errors.Add(Invariant($"{key}:MaxWaitSeconds must be 0 (no limit) or more (is {queue.MaxWaitSeconds})."));
            }

            if (!Enum.TryParse<RoutingStrategy>(queue.Strategy, ignoreCase: true, out var strategy) || !Enum.IsDefined(strategy)
                || int.TryParse(queue.Strategy, out _))
            {
                errors.Add($"{key}:Strategy \"{queue.Strategy}\" is not one of LongestIdle, FewestCalls, RoundRobin.");
            }

            var priorityParses = Enum.TryParse<QueuePriority>(queue.Priority, ignoreCase: true, out var priority) && Enum.IsDefined(priority)
                && !int.TryParse(queue.Priority, out _);
            if (!priorityParses)
            {
                errors.Add($"{key}:Priority \"{queue.Priority}\" is not one of headStart, strict.");
            }

            if (queue.StarvationGuardSeconds < 0)
            {
                errors.Add(Invariant($"{key}:StarvationGuardSeconds must be 0 (no guard) or more (is {queue.StarvationGuardSeconds})."));
            }
            else if (queue.StarvationGuardSeconds > 0 && priorityParses && priority != QueuePriority.Strict)
            {
                // A head start already lets a long wait overtake a tier; a guard there would mean nothing.
                errors.Add(Invariant($"{key}:StarvationGuardSeconds ({queue.StarvationGuardSeconds}) applies only to Priority \"strict\"."));
            }

            if (string.IsNullOrWhiteSpace(queue.Overflow))
            {
                errors.Add($"{key}:Overflow must name a queue or \"{QueueOptions.Callback}\".");
            }
            else if (!queue.IsCallbackOverflow && !Queues.ContainsKey(queue.Overflow))
            {
                errors.Add($"{key}:Overflow \"{queue.Overflow}\" is neither a queue under {Section}:Queues nor \"{QueueOptions.Callback}\".");
            }
            else if (string.Equals(queue.Overflow, id, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"{key}:Overflow must not be the queue itself.");
            }

            for (var i = 0; i < queue.Skills.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(queue.Skills[i]))
                {
                    errors.Add(Invariant($"{key}:Skills:{i} is empty."));
                }
            }
        }

        return errors;
    }

    private static void NotNegative(List<string> errors, string name, int value)
    {
        if (value < 0)
        {
            errors.Add(Invariant($"{Section}:{name} must be 0 or more (is {value})."));
        }
    }

    private static void Positive(List<string> errors, string key, int value)
    {
        if (value <= 0)
        {
            errors.Add(Invariant($"{key} must be more than 0 (is {value})."));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
