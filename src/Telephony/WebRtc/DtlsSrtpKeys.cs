using CallCenter.Telephony.Rtp.Srtp;

namespace CallCenter.Telephony.WebRtc;

/// <summary>
/// The SRTP masters a DTLS-SRTP handshake yields (RFC 5764 4.2): the exporter's 60 bytes are the
/// client's key, the server's key, the client's salt, the server's salt. Each side sends with its own.
/// </summary>
public sealed record DtlsSrtpKeys(SrtpMaster Client, SrtpMaster Server)
{
    public const string ExporterLabel = "EXTRACTOR-dtls_srtp";

    public const int MaterialLength = 2 * (SrtpKeys.MasterKeyLength + SrtpKeys.MasterSaltLength);

    public static DtlsSrtpKeys FromMaterial(ReadOnlySpan<byte> material)
    {
        if (material.Length != MaterialLength)
        {
            throw new ArgumentException($"DTLS-SRTP keying material is {MaterialLength} bytes, not {material.Length}.", nameof(material));
        }

        const int Key = SrtpKeys.MasterKeyLength;
        const int Salt = SrtpKeys.MasterSaltLength;
        return new DtlsSrtpKeys(
            new SrtpMaster(material[..Key], material.Slice(2 * Key, Salt)),
            new SrtpMaster(material.Slice(Key, Key), material.Slice((2 * Key) + Salt, Salt)));
    }
}
