using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace CallCenter.Telephony.WebRtc;

/// <summary>
/// The platform's DTLS certificate for WebRTC media: a self-signed ECDSA P-256 certificate made at
/// start-up, never written anywhere. It is not trusted through a CA: the browser checks it against the
/// <c>a=fingerprint:sha-256</c> of our SDP (RFC 8122, RFC 5763 5), which came over the desk's signed-in WebSocket.
/// </summary>
public sealed class DtlsIdentity
{
    private DtlsIdentity(X509Certificate certificate, AsymmetricKeyParameter privateKey)
    {
        Certificate = certificate;
        PrivateKey = privateKey;
        Fingerprint = FingerprintOf(certificate.GetEncoded());
    }

    public X509Certificate Certificate { get; }

    public AsymmetricKeyParameter PrivateKey { get; }

    /// <summary>"AB:CD:..." as SDP's a=fingerprint:sha-256 writes it.</summary>
    public string Fingerprint { get; }

    public static DtlsIdentity Create(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var random = new SecureRandom();
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(Org.BouncyCastle.Asn1.X9.X9ObjectIdentifiers.Prime256v1, random));
        var keys = generator.GenerateKeyPair();
        var now = time.GetUtcNow().UtcDateTime;
        var builder = new X509V3CertificateGenerator();
        var name = new X509Name("CN=callcenter-webrtc");
        builder.SetSerialNumber(new BigInteger(64, random).Add(BigInteger.One));
        builder.SetIssuerDN(name);
        builder.SetSubjectDN(name);
        builder.SetNotBefore(now.AddDays(-1));
        builder.SetNotAfter(now.AddDays(30));
        builder.SetPublicKey(keys.Public);
        return new DtlsIdentity(builder.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", keys.Private, random)), keys.Private);
    }

    /// <summary>SHA-256 of a DER certificate, upper-case hex pairs joined by ':' (RFC 8122 5).</summary>
    public static string FingerprintOf(ReadOnlySpan<byte> der) => Convert.ToHexString(SHA256.HashData(der)).Chunk(2).Aggregate("", (text, pair) => text.Length == 0 ? new string(pair) : text + ":" + new string(pair));
}
