using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Sip.Auth;

/// <summary>Why a request was not authenticated: for metrics and logs only, never for the wire.</summary>
public enum SipAuthFailure
{
    None,

    /// <summary>No Authorization value for our realm, another scheme, or one that does not parse (RFC 4475 3.3.7).</summary>
    NoCredentials,

    /// <summary>A nonce this server did not issue, or a foreign opaque.</summary>
    InvalidNonce,

    /// <summary>The digest-uri does not name the Request-URI (answered with 400, RFC 7616 3.4.6).</summary>
    UriMismatch,

    /// <summary>An unknown user or a wrong password: deliberately one value, as on the wire.</summary>
    InvalidCredentials,

    /// <summary>A correct response with an expired nonce: challenged with stale=true.</summary>
    StaleNonce,

    /// <summary>A correct response with a nonce-count already used: challenged with stale=true.</summary>
    Replayed,
}

/// <summary>
/// The outcome of <see cref="SipDigestAuthenticator.AuthenticateAsync"/>: either the
/// authenticated username, or the response to send instead (401 with fresh challenges, or 400).
/// </summary>
public sealed class SipAuthResult
{
    private SipAuthResult(string? username, SipDigestAlgorithm? algorithm, SipResponse? response, SipAuthFailure failure)
    {
        Username = username;
        Algorithm = algorithm;
        Response = response;
        Failure = failure;
    }

    public bool IsAuthenticated => Username is not null;

    /// <summary>The digest username that proved its password; null when not authenticated.</summary>
    public string? Username { get; }

    public SipDigestAlgorithm? Algorithm { get; }

    /// <summary>When not authenticated: the complete response to send (a 401 carrying the WWW-Authenticate challenges, or a 400).</summary>
    public SipResponse? Response { get; }

    public SipAuthFailure Failure { get; }

    /// <summary>
    /// When not authenticated: the digest username the credentials named (for the guessing limits
    /// and the log; never the response or anything else of the digest), or null without credentials.
    /// </summary>
    public string? AttemptedUsername { get; private init; }

    internal static SipAuthResult Success(string username, SipDigestAlgorithm algorithm) =>
        new(username, algorithm, null, SipAuthFailure.None);

    internal static SipAuthResult Rejected(SipResponse response, SipAuthFailure failure, string? attemptedUsername = null) =>
        new(null, null, response, failure) { AttemptedUsername = attemptedUsername };
}
