using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CallCenter.Telephony.Transport;

/// <summary>
/// How the platform checks a peer it connects to over TLS (a trunk: RFC 3261 26.2.1, the client side):
/// the name the certificate must carry, and whom to trust for it. With neither <see cref="TrustedRoots"/>
/// nor <see cref="PinnedSha256"/> the system's certificate authorities decide; with roots, only those
/// (a carrier's private CA); with a pin, only that one certificate, whatever signed it.
/// </summary>
public sealed record SipTlsPeer(string ServerName, X509Certificate2Collection? TrustedRoots = null, string? PinnedSha256 = null)
{
    /// <summary>
    /// Whether the certificate the peer showed is trusted; when not, the reason in words (logged and
    /// given to the call). <paramref name="errors"/> is what the TLS stack found against <see cref="ServerName"/>
    /// and the chain policy of <see cref="ChainPolicy"/>.
    /// </summary>
    public bool Trusts(X509Certificate? certificate, SslPolicyErrors errors, out string reason)
    {
        if (certificate is null)
        {
            reason = "the peer showed no certificate";
            return false;
        }

        if (PinnedSha256 is { Length: > 0 } pin)
        {
            var actual = Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));
            var trusted = string.Equals(actual, Normalize(pin), StringComparison.Ordinal);
            reason = trusted ? "" : $"its certificate (SHA-256 {actual}) is not the pinned one";
            return trusted;
        }

        reason = errors switch
        {
            SslPolicyErrors.None => "",
            _ when errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) && TrustedRoots is not null =>
                $"its certificate ({certificate.Subject}) is not signed by the trusted CA file",
            _ when errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) =>
                $"its certificate ({certificate.Subject}) is not signed by a certificate authority this machine trusts",
            _ when errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) =>
                $"its certificate ({certificate.Subject}) is not for \"{ServerName}\"",
            _ => $"its certificate is not valid ({errors})",
        };
        return errors == SslPolicyErrors.None;
    }

    /// <summary>The chain check: only <see cref="TrustedRoots"/> when given, else the system's store; null for the default.</summary>
    public X509ChainPolicy? ChainPolicy()
    {
        if (TrustedRoots is null)
        {
            return null;
        }

        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(TrustedRoots);
        return policy;
    }

    /// <summary>A fingerprint as operators copy it ("AB:CD:...", "abcd..."): hex digits, upper case.</summary>
    public static string Normalize(string fingerprint) =>
        new([.. fingerprint.Where(char.IsAsciiHexDigit).Select(char.ToUpperInvariant)]);
}
