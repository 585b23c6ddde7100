using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Sip.Auth;

/// <summary>
/// Digest authentication of requests by a UAS (RFC 3261 22.2, 22.4; RFC 7616; RFC 8760 for
/// SHA-256). Challenges carry one WWW-Authenticate per configured algorithm, in configured order,
/// because many phones (and sipp) answer only the first one. Nonces are stateless
/// (<see cref="SipNonceService"/>); nonce-counts are tracked to refuse replays. An unknown user
/// and a wrong password get the same answer after the same work, so the directory does not leak.
/// Thread-safe; one instance per realm for the life of the process.
/// </summary>
public sealed class SipDigestAuthenticator
{
    /// <summary>The default cap of the nonce-count table; about 30 registrations a second at a 300 s nonce lifetime.</summary>
    public const int DefaultNonceTableCapacity = 10_000;

    private readonly ISipCredentialStore _store;
    private readonly SipDigestAlgorithm[] _algorithms;
    private readonly SipNonceService _nonces;
    private readonly NonceCountTracker _counts;

    /// <param name="store">Where the HA1 values come from.</param>
    /// <param name="realm">The realm of every challenge (RFC 3261 22.1); the HA1 values must be computed for it.</param>
    /// <param name="algorithms">The algorithms offered, in the order of the challenges.</param>
    /// <param name="nonceLifetime">How long a nonce is accepted; later a correct answer gets stale=true.</param>
    /// <param name="secret">The nonce MAC key, 16 bytes or more, shared by the nodes behind one proxy; null for a random one (nonces then do not survive a restart nor cross nodes).</param>
    /// <param name="nonceTableCapacity">The most nonces whose counts are remembered at once.</param>
    public SipDigestAuthenticator(
        ISipCredentialStore store,
        string realm,
        IReadOnlyList<SipDigestAlgorithm> algorithms,
        TimeSpan nonceLifetime,
        byte[]? secret = null,
        int nonceTableCapacity = DefaultNonceTableCapacity)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(realm);
        ArgumentNullException.ThrowIfNull(algorithms);
        if (algorithms.Count == 0)
        {
            throw new ArgumentException("At least one digest algorithm must be offered.", nameof(algorithms));
        }

        _store = store;
        Realm = realm;
        _algorithms = [.. algorithms];
        _nonces = new SipNonceService(nonceLifetime, secret ?? RandomNumberGenerator.GetBytes(32), realm);
        _counts = new NonceCountTracker(nonceTableCapacity);
    }

    public string Realm { get; }

    /// <summary>The cluster's shared nonce counts (set at start on a cluster's node); null on a single platform.</summary>
    public ISharedNonceCounts? SharedCounts { get; set; }

    public IReadOnlyList<SipDigestAlgorithm> Algorithms => _algorithms;

    /// <summary>How many nonces have their counts remembered now (bounded by the table capacity).</summary>
    internal int TrackedNonceCount => _counts.Count;

    /// <summary>
    /// Checks the request's Authorization for this realm. On success the result names the user;
    /// otherwise it carries the response to send (401 with fresh challenges, or 400 for a
    /// digest-uri that does not name the Request-URI). Never throws for anything in the request.
    /// </summary>
    public async ValueTask<SipAuthResult> AuthenticateAsync(SipRequest request, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var credentials = FindCredentials(request);
        if (credentials is null || !TryReadParameters(credentials, out var algorithm, out var count))
        {
            return Challenge(request, now, stale: false, SipAuthFailure.NoCredentials);
        }

        var nonceState = _nonces.Check(credentials.Nonce, now, out var issuedAt);
        if (nonceState == NonceState.Invalid
            || (credentials.Opaque is not null && !string.Equals(credentials.Opaque, _nonces.Opaque, StringComparison.Ordinal)))
        {
            return Challenge(request, now, stale: false, SipAuthFailure.InvalidNonce);
        }

        if (!DigestUriMatcher.Matches(credentials.DigestUri, request.RequestUri))
        {
            return SipAuthResult.Rejected(SipMessageBuilder.CreateResponse(request, 400, "Bad Request"), SipAuthFailure.UriMismatch);
        }

        var stored = await _store.FindAsync(credentials.Username, cancellationToken).ConfigureAwait(false);
        var ha1 = stored is not null && string.Equals(stored.Realm, Realm, StringComparison.Ordinal)
            ? stored.Ha1For(algorithm)
            : null;

        // No shortcut for an unknown user: the same hash and comparison run on a dummy HA1 (RFC 7616 5.x, user enumeration).
        var valid = Verify(credentials, algorithm, ha1 ?? DummyHa1(algorithm), request.Method) && ha1 is not null;
        if (!valid)
        {
            return Challenge(request, now, stale: false, SipAuthFailure.InvalidCredentials, credentials.Username);
        }

        if (nonceState == NonceState.Expired)
        {
            return Challenge(request, now, stale: true, SipAuthFailure.StaleNonce);
        }

        if (!_counts.TryUse(credentials.Nonce, count, issuedAt, issuedAt + _nonces.Lifetime, now)
            || !await UseSharedAsync(credentials.Nonce, count, issuedAt + _nonces.Lifetime, now, cancellationToken))
        {
            // The response was right, only the nonce is used up: stale=true lets a real client retry without a prompt.
            return Challenge(request, now, stale: true, SipAuthFailure.Replayed);
        }

        return SipAuthResult.Success(credentials.Username, algorithm);
    }

    /// <summary>The cluster's view of the count (a replay at another node is refused); true on a single platform.</summary>
    private async ValueTask<bool> UseSharedAsync(string nonce, uint count, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (SharedCounts is not { } shared)
        {
            return true;
        }

        try
        {
            return await shared.TryUseAsync(nonce, count, expiresAt, now, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The shared store is away: a count that cannot be checked is not taken (the node is out of service anyway).
            return false;
        }
    }

    /// <summary>
    /// Adds one WWW-Authenticate field per configured algorithm, in order, all with one fresh
    /// nonce (RFC 3261 22.1, RFC 8760 2.4). For a 401 built elsewhere.
    /// </summary>
    public void AddChallenges(SipResponse response, DateTimeOffset now, bool stale = false)
    {
        ArgumentNullException.ThrowIfNull(response);
        var nonce = _nonces.Create(now);
        foreach (var algorithm in _algorithms)
        {
            var value = new StringBuilder("Digest realm=")
                .Append(Quote(Realm))
                .Append(", nonce=\"").Append(nonce)
                .Append("\", opaque=\"").Append(_nonces.Opaque)
                .Append("\", algorithm=").Append(SipDigest.AlgorithmName(algorithm))
                .Append(", qop=\"auth\"");
            if (stale)
            {
                value.Append(", stale=true");
            }

            response.Headers.Add(SipHeaderNames.WwwAuthenticate, value.ToString());
        }
    }

    private SipAuthResult Challenge(SipRequest request, DateTimeOffset now, bool stale, SipAuthFailure failure, string? username = null)
    {
        var response = SipMessageBuilder.CreateResponse(request, 401, "Unauthorized");
        AddChallenges(response, now, stale);
        return SipAuthResult.Rejected(response, failure, username);
    }

    /// <summary>RFC 3261 22.4: of several Authorization values, the one for our realm counts.</summary>
    private DigestCredentials? FindCredentials(SipRequest request)
    {
        foreach (var value in request.Headers.GetAll(SipHeaderNames.Authorization))
        {
            if (DigestCredentialsParser.TryParse(value, out var credentials)
                && string.Equals(credentials!.Realm, Realm, StringComparison.Ordinal))
            {
                return credentials;
            }
        }

        return null;
    }

    /// <summary>Algorithm, qop, cnonce and nc as this server accepts them; anything else is "no credentials".</summary>
    private bool TryReadParameters(DigestCredentials credentials, out SipDigestAlgorithm algorithm, out uint count)
    {
        count = 0;
        if (credentials.Algorithm is null)
        {
            algorithm = SipDigestAlgorithm.Md5; // RFC 7616 3.4: absent means MD5.
        }
        else if (!SipDigest.TryParseAlgorithm(credentials.Algorithm, out algorithm))
        {
            return false;
        }

        if (Array.IndexOf(_algorithms, algorithm) < 0)
        {
            return false;
        }

        if (credentials.Qop is null)
        {
            return true; // RFC 2069 style; such a nonce is accepted once (NonceCountTracker).
        }

        // We offer qop="auth" only; nc is exactly 8 hex digits (RFC 7616 3.4), starting at 1.
        return string.Equals(credentials.Qop, "auth", StringComparison.OrdinalIgnoreCase)
            && !string.IsNullOrEmpty(credentials.ClientNonce)
            && credentials.NonceCount is { Length: 8 } nc
            && uint.TryParse(nc, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out count)
            && count > 0;
    }

    private static bool Verify(DigestCredentials credentials, SipDigestAlgorithm algorithm, string ha1, string method)
    {
        var qop = credentials.Qop?.ToLowerInvariant();
        var expected = SipDigest.ComputeResponse(
            algorithm, ha1, credentials.Nonce, credentials.NonceCount, credentials.ClientNonce, qop, method, credentials.DigestUri);
        var given = credentials.Response.ToLowerInvariant();

        // RFC 7616 5.x: compare in constant time; only the length may leak, and that is public.
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(given));
    }

    private static string DummyHa1(SipDigestAlgorithm algorithm) => new('0', SipDigest.HexLength(algorithm));

    private static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
