using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CallCenter.Integration.Tests;

/// <summary>A self-signed certificate for 127.0.0.1 (CN callcenter.test) for the platform's TLS port, made per test class.</summary>
internal static class TestCertificate
{
    /// <summary>Writes <c>sip.pfx</c> (password <c>secret</c>) and its public part <c>ca.pem</c> into <paramref name="folder"/>.</summary>
    public static (string Pfx, string Pem) Create(string folder)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=callcenter.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var pfx = Path.Combine(folder, "sip.pfx");
        var pem = Path.Combine(folder, "ca.pem");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pkcs12, "secret"));
        File.WriteAllText(pem, certificate.ExportCertificatePem());
        return (pfx, pem);
    }
}
