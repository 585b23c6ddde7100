using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CallCenter.ResourceControl.Hosting;

namespace CallCenter.ResourceControl.Tests.Cluster;

/// <summary><c>Cluster:KeyRingCertificate</c> is checked at start: a file that is not a certificate with its RSA private key names the key.</summary>
public sealed class ClusterOptionsTests
{
    private static ClusterOptions With(string certificate) => new() { Enabled = true, Redis = "127.0.0.1:6379", KeyRingCertificate = certificate };

    [Test]
    public void AKeyRingCertificateThatIsMissingOrHasNoPrivateKeyStopsStartUpNamingTheKey()
    {
        var folder = Directory.CreateTempSubdirectory("callcenter-keyring-").FullName;
        try
        {
            using var key = RSA.Create(2048);
            using var certificate = new CertificateRequest("CN=keyring", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            var publicOnly = Path.Combine(folder, "public.pem");
            var whole = Path.Combine(folder, "keyring.pem");
            File.WriteAllText(publicOnly, certificate.ExportCertificatePem());
            File.WriteAllText(whole, certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem());

            Assert.Multiple(() =>
            {
                Assert.That(With(Path.Combine(folder, "missing.pem")).Validate(), Has.One.StartsWith("Cluster:KeyRingCertificate: "));
                Assert.That(With(publicOnly).Validate(), Has.One.StartsWith("Cluster:KeyRingCertificate: "), "a certificate without its private key cannot read the keys");
                Assert.That(With(whole).Validate(), Is.Empty);
                Assert.That(With("").Validate(), Is.Empty, "empty: the keys stay unencrypted");
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void ANodeIdTooLongForTheLeasesApplicationNameStopsAClusterNodeButNotASingleOne()
    {
        // PostgreSQL keeps 63 bytes of application_name, and the lease's is its prefix followed by the node id: a
        // longer id would be cut, the leader would never find itself holding the lease, and nothing would be routed.
        var longest = new string('n', ClusterOptions.MaxClusterNodeLength);
        static ClusterOptions Node(string id, bool enabled = true) => new() { Enabled = enabled, Redis = "127.0.0.1:6379", NodeId = id };
        Assert.Multiple(() =>
        {
            Assert.That(ClusterOptions.MaxClusterNodeLength, Is.EqualTo(63 - "callcenter-lease:".Length));
            Assert.That(Node(longest).Validate(), Is.Empty);
            Assert.That(Node(longest + "x").Validate(), Has.One.StartsWith("Cluster:NodeId \"" + longest + "x\" is 47 characters"));
            Assert.That(Node(longest + "x", enabled: false).Validate(), Is.Empty, "one node takes no lease");
        });
    }
}
