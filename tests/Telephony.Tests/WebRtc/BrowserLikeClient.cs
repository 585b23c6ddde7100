using CallCenter.Telephony.WebRtc;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace CallCenter.Telephony.Tests.WebRtc;

/// <summary>A DTLS-SRTP client as a browser is one: DTLS 1.2, use_srtp with AES128_CM_HMAC_SHA1_80, an ECDSA certificate of its own.</summary>
internal sealed class BrowserLikeClient(BcTlsCrypto crypto, DtlsIdentity identity) : DefaultTlsClient(crypto)
{
    public DtlsSrtpKeys? Keys { get; private set; }

    public string? ServerFingerprint { get; private set; }

    public string? Error { get; set; }

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    public override IDictionary<int, byte[]> GetClientExtensions()
    {
        var extensions = base.GetClientExtensions() ?? new Dictionary<int, byte[]>();
        TlsSrtpUtilities.AddUseSrtpExtension(extensions, new UseSrtpData([SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80], TlsUtilities.EmptyBytes));
        return extensions;
    }

    public override TlsAuthentication GetAuthentication() => new Authentication(this);

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        Keys = DtlsSrtpKeys.FromMaterial(m_context.ExportKeyingMaterial(DtlsSrtpKeys.ExporterLabel, null, DtlsSrtpKeys.MaterialLength));
    }

    private TlsCredentials Credentials() => new BcDefaultTlsCredentialedSigner(
        new TlsCryptoParameters(m_context),
        crypto,
        identity.PrivateKey,
        new Certificate([new BcTlsCertificate(crypto, identity.Certificate.GetEncoded())]),
        new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));

    private sealed class Authentication(BrowserLikeClient client) : TlsAuthentication
    {
        public void NotifyServerCertificate(TlsServerCertificate serverCertificate) =>
            client.ServerFingerprint = DtlsIdentity.FingerprintOf(serverCertificate.Certificate.GetCertificateAt(0).GetEncoded());

        public TlsCredentials GetClientCredentials(CertificateRequest certificateRequest) => client.Credentials();
    }
}
