using CallCenter.Data.Calls;
using CallCenter.Data.Catalog;
using CallCenter.Ivr.Flows;
using CallCenter.ResourceControl.Calls;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>A call's facts as plain data, for the pure parts of a call.</summary>
internal sealed record TestCallFacts : ICallFacts
{
    public static readonly DateTimeOffset T0 = new(2026, 12, 3, 9, 30, 0, TimeSpan.FromHours(8));

    public string Id { get; init; } = "019ae-0001";

    public string Caller { get; init; } = "13800000001";

    public string Dialed { get; init; } = "95500";

    public DateTimeOffset StartedAt { get; init; } = T0;

    public bool CallerVerified { get; init; } = true;

    public bool VerifiedByPin { get; init; }

    public string? VerifiedAccount { get; init; }

    public string? Tier { get; init; }

    public OutboundAttemptFacts? OutboundAttempt { get; init; }

    public string? ClientName { get; init; }

    public string? Language { get; init; }

    public string? AccountManager { get; init; }

    public string? AccountManagerName { get; init; }

    public DateTimeOffset? ManagerDeniedAt { get; init; }

    public ClientRecord? Client { get; init; }

    public IReadOnlyList<RecentCall> Recent { get; init; } = [];

    public IReadOnlyList<string> IvrPath { get; init; } = [];

    public IReadOnlyList<IvrTraceEntry> IvrTrace { get; init; } = [];

    public string? Queue { get; init; }

    public DateTimeOffset? QueuedAt { get; init; }

    public string? Agent { get; init; }

    public DateTimeOffset? AnsweredAt { get; init; }

    public string? RoutingReason { get; init; }

    public double RingSeconds { get; init; }

    public double HoldSeconds { get; init; }

    public IReadOnlyList<CallLeg> Legs { get; init; } = [];
}
