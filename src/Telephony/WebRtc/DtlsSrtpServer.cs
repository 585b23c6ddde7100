using System.Security.Cryptography;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace CallCenter.Telephony.WebRtc;

/// <summary>
/// The server end of DTLS-SRTP (RFC 5764) for one browser leg: DTLS 1.2, our ECDSA certificate, the
/// use_srtp extension with SRTP_AES128_CM_HMAC_SHA1_80 only, a client certificate required and held to
/// the fingerprint of the browser's SDP (RFC 5763 5: that is what authenticates the browser), and a
/// bounded handshake. On completion <see cref="Keys"/> holds the exported SRTP masters.
/// </summary>
internal sealed class DtlsSrtpServer : DefaultTlsServer
{
    private readonly DtlsIdentity _identity;
    private readonly string _expectedFingerprint;
    private readonly int _handshakeTimeoutMillis;

    public DtlsSrtpServer(BcTlsCrypto crypto, DtlsIdentity identity, string expectedFingerprint, TimeSpan handshakeTimeout)
        : base(crypto)
    {
        _identity = identity;
        _expectedFingerprint = expectedFingerprint;
        _handshakeTimeoutMillis = (int)handshakeTimeout.TotalMilliseconds;
    }

    public DtlsSrtpKeys? Keys { get; private set; }

    public override int GetHandshakeTimeoutMillis() => _handshakeTimeoutMillis;

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    // Our certificate is ECDSA, so only ECDSA-signed key exchanges: browsers offer these (GCM first).
    protected override int[] GetSupportedCipherSuites() => TlsUtilities.GetSupportedCipherSuites(Crypto,
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    ]);

    protected override TlsCredentialedSigner GetECDsaSignerCredentials() =>
        new BcDefaultTlsCredentialedSigner(
            new TlsCryptoParameters(m_context),
            (BcTlsCrypto)Crypto,
            _identity.PrivateKey,
            new Certificate([new BcTlsCertificate((BcTlsCrypto)Crypto, _identity.Certificate.GetEncoded())]),
            new SignatureAndHashAlgorithm(Org.BouncyCastle.Tls.HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));

    public override void ProcessClientExtensions(IDictionary<int, byte[]> clientExtensions)
    {
        base.ProcessClientExtensions(clientExtensions);
        var offered = TlsSrtpUtilities.GetUseSrtpExtension(clientExtensions);
        if (offered is null || !offered.ProtectionProfiles.Contains(SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80))
        {
            // RFC 5764 4.1.2: no profile in common, no SRTP, no call.
            throw new TlsFatalAlert(AlertDescription.handshake_failure);
        }
    }

    public override IDictionary<int, byte[]> GetServerExtensions()
    {
        var extensions = base.GetServerExtensions() ?? new Dictionary<int, byte[]>();
        TlsSrtpUtilities.AddUseSrtpExtension(extensions, new UseSrtpData([SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80], TlsUtilities.EmptyBytes));
        return extensions;
    }

    public override CertificateRequest GetCertificateRequest() =>
        new([ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign], TlsUtilities.GetDefaultSupportedSignatureAlgorithms(m_context), null);

    public override void NotifyClientCertificate(Certificate clientCertificate)
    {
        ArgumentNullException.ThrowIfNull(clientCertificate);
        if (clientCertificate.IsEmpty)
        {
            throw new TlsFatalAlert(AlertDescription.certificate_required);
        }

        var fingerprint = DtlsIdentity.FingerprintOf(clientCertificate.GetCertificateAt(0).GetEncoded());
        if (!CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(fingerprint), System.Text.Encoding.ASCII.GetBytes(_expectedFingerprint.ToUpperInvariant())))
        {
            // RFC 5763 5: a certificate other than the one the SDP named is someone else.
            throw new TlsFatalAlert(AlertDescription.bad_certificate);
        }
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        Keys = DtlsSrtpKeys.FromMaterial(m_context.ExportKeyingMaterial(DtlsSrtpKeys.ExporterLabel, null, DtlsSrtpKeys.MaterialLength));
    }
}
