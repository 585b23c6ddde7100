using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using CallCenter.ResourceControl.Cluster;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CallCenter.ResourceControl.Tests.Cluster;

/// <summary>
/// With <c>Cluster:KeyRingCertificate</c> set, a key found in clear in the Redis list is dropped and logged by its id:
/// keys are made by Data Protection itself (one encrypted to a certificate, one in clear), not written by hand.
/// </summary>
public sealed class EncryptedKeysOnlyTests
{
    [Test]
    public void OnlyTheCertificateEncryptedKeyComesThroughAndThePlainOneIsLoggedByIdNotContent()
    {
        using var rsa = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=keyring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var encrypted = MakeKey(certificate);
        var plain = MakeKey(null);
        var logger = new Lines();
        var repository = new EncryptedKeysOnly(new Fixed(encrypted, plain), logger);

        var kept = repository.GetAllElements();

        var plainId = (string)plain.Attribute("id")!;
        var plainSecret = plain.Descendants("value").Single().Value;
        Assert.Multiple(() =>
        {
            Assert.That(Secrets(encrypted), Is.EqualTo(1), "the encrypted key is really encrypted");
            Assert.That(Secrets(plain), Is.Zero, "the plain key is really in clear");
            Assert.That(kept.Select(k => (string?)k.Attribute("id")), Is.EqualTo(new[] { (string?)encrypted.Attribute("id") }));
            Assert.That(logger.Written, Has.One.Contains(plainId));
            Assert.That(logger.Written, Has.None.Contains(plainSecret), "the key's secret is never logged");
        });
    }

    [Test]
    public void AKeyThatWrapsItsSecretInClearUnderAnEncryptedSecretIsDropped()
    {
        var plain = MakeKey(null);
        var masterKey = plain.Descendants("masterKey").Single();
        // What Data Protection's "null" encryptor writes: the decryptor hands the element back as it is.
        masterKey.ReplaceWith(new XElement("encryptedSecret",
            new XAttribute("decryptorType", "Microsoft.AspNetCore.DataProtection.XmlEncryption.NullXmlDecryptor, Microsoft.AspNetCore.DataProtection"),
            new XElement("unencryptedKey", masterKey)));

        Assert.That(EncryptedKeysOnly.IsEncrypted(plain), Is.False);
    }

    private static int Secrets(XElement key) => key.Descendants().Count(e => e.Name.LocalName == "encryptedSecret");

    private static XElement MakeKey(X509Certificate2? certificate)
    {
        var store = new Fixed();
        var services = new ServiceCollection();
        var protection = services.AddDataProtection().SetApplicationName("CallCenter");
        if (certificate is not null)
        {
            protection.ProtectKeysWithCertificate(certificate);
        }

        services.Configure<KeyManagementOptions>(o => o.XmlRepository = store);
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IKeyManager>().CreateNewKey(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(90));
        return store.GetAllElements().Single();
    }

    private sealed class Fixed(params XElement[] elements) : IXmlRepository
    {
        private readonly List<XElement> _elements = [.. elements];

        public IReadOnlyCollection<XElement> GetAllElements() => [.. _elements.Select(e => new XElement(e))];

        public void StoreElement(XElement element, string friendlyName) => _elements.Add(new XElement(element));
    }

    private sealed class Lines : ILogger
    {
        public List<string> Written { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => Written.Add(formatter(state, exception));
    }
}
