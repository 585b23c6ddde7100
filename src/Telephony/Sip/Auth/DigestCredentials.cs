namespace CallCenter.Telephony.Sip.Auth;

/// <summary>
/// The parameters of one <c>Authorization: Digest ...</c> value (RFC 3261 25.1 digest-response,
/// RFC 7616 3.4). Values are unquoted and unescaped. Never log <see cref="Response"/> or
/// <see cref="ClientNonce"/>.
/// </summary>
internal sealed record DigestCredentials
{
    public required string Username { get; init; }

    public required string Realm { get; init; }

    public required string Nonce { get; init; }

    public required string DigestUri { get; init; }

    public required string Response { get; init; }

    /// <summary>The algorithm token as sent; null when absent (then MD5, RFC 7616 3.4).</summary>
    public string? Algorithm { get; init; }

    public string? ClientNonce { get; init; }

    /// <summary>The qop token as sent; null when absent (RFC 2069 style).</summary>
    public string? Qop { get; init; }

    /// <summary>The nc value as sent: 8 hex digits when qop is present.</summary>
    public string? NonceCount { get; init; }

    public string? Opaque { get; init; }
}
