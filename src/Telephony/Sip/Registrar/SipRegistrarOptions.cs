using System.Globalization;
using CallCenter.Telephony.Sip.Auth;

namespace CallCenter.Telephony.Sip.Registrar;

/// <summary>
/// Settings of the registrar and its digest authentication, bound from the "Sip" section of
/// config/callcenter.json (so <c>Sip:DigestAlgorithms</c>, <c>Sip:MinExpires</c> ...).
/// Call <see cref="Validate"/> at start-up; each message names the bad key.
/// </summary>
public sealed record SipRegistrarOptions
{
    public const string SectionName = "Sip";

    /// <summary>
    /// What <see cref="DigestAlgorithms"/> means when it is not configured: MD5 alone, because that
    /// is what every softphone in Debian registers with. baresip 1.0 (libre) walks every
    /// WWW-Authenticate of a 401 and gives up with ENOSYS at the first algorithm other than MD5,
    /// whatever the order, so a SHA-256 challenge offered beside MD5 (RFC 8760 2.4) still stops it;
    /// sipp 3.6 answers only the first challenge and only MD5. SHA-256 stays one setting away.
    /// </summary>
    public static IReadOnlyList<string> DefaultDigestAlgorithms { get; } = ["MD5"];

    /// <summary>The digest realm (RFC 3261 22.1). Stored HA1 values are computed for it, so changing it invalidates them.</summary>
    public string Realm { get; init; } = "callcenter";

    /// <summary>
    /// The challenges offered, one WWW-Authenticate each, in this order; null means
    /// <see cref="DefaultDigestAlgorithms"/>. Null rather than a filled default because the
    /// configuration binder appends to a pre-filled list instead of replacing it.
    /// </summary>
    public IReadOnlyList<string>? DigestAlgorithms { get; init; }

    /// <summary>How long a nonce is accepted (RFC 7616 3.3); after that a correct answer gets stale=true.</summary>
    public TimeSpan NonceLifetime { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>
    /// The nonce MAC key shared by every node behind one proxy (<c>Sip:NonceSecret</c>); null for a
    /// random key per process. Never logged or shown.
    /// </summary>
    public byte[]? NonceSecret { get; init; }

    /// <summary>Shorter non-zero registrations get 423 Interval Too Brief (RFC 3261 10.3 step 6).</summary>
    public int MinExpires { get; init; } = 60;

    /// <summary>Longer registrations are shortened to this (RFC 3261 10.3 step 6).</summary>
    public int MaxExpires { get; init; } = 3600;

    /// <summary>The interval when neither the Contact's expires nor an Expires header gives one (RFC 3261 10.2.1.1).</summary>
    public int DefaultExpires { get; init; } = 3600;

    /// <summary>Every problem, each naming its configuration key; empty when the options are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Realm))
        {
            errors.Add($"{SectionName}:{nameof(Realm)} must not be empty.");
        }

        var names = DigestAlgorithms ?? DefaultDigestAlgorithms;
        if (names.Count == 0)
        {
            errors.Add($"{SectionName}:{nameof(DigestAlgorithms)} must name at least one algorithm (supported: SHA-256, MD5).");
        }

        var seen = new HashSet<SipDigestAlgorithm>();
        foreach (var name in names)
        {
            if (!SipDigest.TryParseAlgorithm(name, out var algorithm))
            {
                errors.Add($"{SectionName}:{nameof(DigestAlgorithms)} names an unknown algorithm \"{name}\" (supported: SHA-256, MD5).");
            }
            else if (!seen.Add(algorithm))
            {
                errors.Add($"{SectionName}:{nameof(DigestAlgorithms)} names \"{name}\" twice.");
            }
        }

        if (NonceLifetime <= TimeSpan.Zero)
        {
            errors.Add($"{SectionName}:{nameof(NonceLifetime)} must be positive, not {NonceLifetime.ToString("c", CultureInfo.InvariantCulture)}.");
        }

        if (NonceSecret is { Length: < 16 })
        {
            errors.Add($"{SectionName}:{nameof(NonceSecret)} must be at least 16 bytes.");
        }

        if (MinExpires < 1)
        {
            errors.Add($"{SectionName}:{nameof(MinExpires)} must be at least 1, not {MinExpires}.");
        }

        if (MaxExpires < MinExpires)
        {
            errors.Add($"{SectionName}:{nameof(MaxExpires)} ({MaxExpires}) must not be below {SectionName}:{nameof(MinExpires)} ({MinExpires}).");
        }

        if (DefaultExpires < MinExpires || DefaultExpires > MaxExpires)
        {
            errors.Add($"{SectionName}:{nameof(DefaultExpires)} ({DefaultExpires}) must lie between {SectionName}:{nameof(MinExpires)} and {SectionName}:{nameof(MaxExpires)}.");
        }

        return errors;
    }

    /// <summary>Throws <see cref="InvalidOperationException"/> with every problem when <see cref="Validate"/> finds any.</summary>
    public void ValidateOrThrow()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, errors));
        }
    }

    /// <summary>The configured algorithms in challenge order. Validate first.</summary>
    public IReadOnlyList<SipDigestAlgorithm> GetDigestAlgorithms()
    {
        ValidateOrThrow();
        return [.. (DigestAlgorithms ?? DefaultDigestAlgorithms).Select(n => SipDigest.TryParseAlgorithm(n, out var a) ? a : default)];
    }

    /// <summary>The authenticator these options describe: nonces signed with <see cref="NonceSecret"/>, or a random in-memory key.</summary>
    public SipDigestAuthenticator CreateAuthenticator(ISipCredentialStore credentials) =>
        new(credentials, Realm, GetDigestAlgorithms(), NonceLifetime, NonceSecret);
}
