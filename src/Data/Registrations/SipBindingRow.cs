namespace CallCenter.Data.Registrations;

/// <summary>One row of sip_bindings: a registered contact of an agent phone. Times are Unix milliseconds.</summary>
public sealed record SipBindingRow
{
    public required string Aor { get; init; }

    public required string ContactKey { get; init; }

    public required string ContactScheme { get; init; }

    public string? ContactUser { get; init; }

    public required string ContactHost { get; init; }

    public int? ContactPort { get; init; }

    public string? ContactTransport { get; init; }

    public string? ContactUriParameters { get; init; }

    public required string SourceTransport { get; init; }

    public required string SourceAddress { get; init; }

    public required int SourcePort { get; init; }

    public required string CallId { get; init; }

    public required long CSeq { get; init; }

    public double? Q { get; init; }

    public required long ExpiresAtMs { get; init; }

    public required long UpdatedAtMs { get; init; }

    /// <summary>The REGISTER's Path values (RFC 3327), comma-separated; null when it came direct.</summary>
    public string? Path { get; init; }
}
