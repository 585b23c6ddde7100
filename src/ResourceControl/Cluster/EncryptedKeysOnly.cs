using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace CallCenter.ResourceControl.Cluster;

/// <summary>
/// The key ring's Redis list as read with <c>Cluster:KeyRingCertificate</c> set: Data Protection only encrypts the keys
/// it writes, and would still trust a key found there in clear, so anyone able to write to Redis could add a key of
/// their own and sign desk cookies with it. A <c>key</c> element whose secret is not certificate-encrypted
/// (an <c>encryptedSecret</c> read by the XML-encryption decryptor around an <c>EncryptedData</c>, and no
/// secret left in clear) is dropped and logged by its id, never its content. Revocations carry no secret and pass.
/// Limit: the certificate is public (it travels inside each encrypted key), so this stops plaintext keys only, not a
/// key the writer encrypted to it themselves; Redis write access must still be kept to the nodes.
/// </summary>
internal sealed class EncryptedKeysOnly(IXmlRepository inner, ILogger logger) : IXmlRepository
{
    private static readonly XName _encryptedData = XName.Get("EncryptedData", "http://www.w3.org/2001/04/xmlenc#");
    private static readonly XName _requiresEncryption = XName.Get("requiresEncryption", "http://schemas.asp.net/2015/03/dataProtection");

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        var kept = new List<XElement>();
        foreach (var element in inner.GetAllElements())
        {
            if (element.Name.LocalName != "key" || IsEncrypted(element))
            {
                kept.Add(element);
            }
            else
            {
                ClusterLog.PlainKeyDropped(logger, (string?)element.Attribute("id") ?? "(no id)");
            }
        }

        return kept;
    }

    public void StoreElement(XElement element, string friendlyName) => inner.StoreElement(element, friendlyName);

    /// <summary>True when every secret in the key is an <c>EncryptedData</c> for the XML-encryption decryptor, and there is at least one.</summary>
    internal static bool IsEncrypted(XElement key)
    {
        // Data Protection writes encryptedSecret in its own XML namespace: matched by local name, as its reader does.
        var secrets = key.Descendants().Where(e => e.Name.LocalName == "encryptedSecret").ToList();
        return secrets.Count > 0
            && secrets.All(s =>
                ((string?)s.Attribute("decryptorType") ?? "").Contains(".EncryptedXmlDecryptor", StringComparison.Ordinal)
                && s.Elements().Count() == 1
                && s.Elements().Single().Name == _encryptedData)
            && !key.DescendantsAndSelf().Any(e => e.Name.LocalName == "masterKey" || e.Attribute(_requiresEncryption) is not null);
    }
}
