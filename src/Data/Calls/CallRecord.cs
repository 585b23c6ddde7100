namespace CallCenter.Data.Calls;

/// <summary>
/// What happened on one call, written once when it ends. <see cref="IvrPath"/> holds the flow node
/// ids passed, in order; keys of masked entries never reach it.
/// </summary>
public sealed record CallRecord
{
    public required string Id { get; init; }

    public required string Caller { get; init; }

    public required string Dialed { get; init; }

    public string? Tier { get; init; }

    public IReadOnlyList<string> IvrPath { get; init; } = [];

    public string? Queue { get; init; }

    public string? Agent { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset EndedAt { get; init; }

    public double WaitSeconds { get; init; }

    public double TalkSeconds { get; init; }

    public required string Disposition { get; init; }

    public string? Recording { get; init; }

    public string? RecordingSha256 { get; init; }
}
