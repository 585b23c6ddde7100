namespace CallCenter.Telephony.Rtp.Srtp;

/// <summary>
/// One direction's master key (16 bytes) and salt (14 bytes) for AES_CM_128_HMAC_SHA1_80, as SDES
/// carries them (RFC 4568 6.1); the session keys are derived from it (<see cref="SrtpKeys"/>).
/// </summary>
public sealed class SrtpMaster
{
    private readonly byte[] _key;
    private readonly byte[] _salt;

    public SrtpMaster(ReadOnlySpan<byte> key, ReadOnlySpan<byte> salt)
    {
        if (key.Length != SrtpKeys.MasterKeyLength || salt.Length != SrtpKeys.MasterSaltLength)
        {
            throw new ArgumentException($"AES_CM_128_HMAC_SHA1_80 needs a {SrtpKeys.MasterKeyLength}-byte master key and a {SrtpKeys.MasterSaltLength}-byte master salt.");
        }

        _key = key.ToArray();
        _salt = salt.ToArray();
    }

    public ReadOnlySpan<byte> Key => _key;

    public ReadOnlySpan<byte> Salt => _salt;

    public SrtpKeys Derive() => SrtpKeys.Derive(_key, _salt);

    public bool SameAs(SrtpMaster other) =>
        other is not null && _key.AsSpan().SequenceEqual(other._key) && _salt.AsSpan().SequenceEqual(other._salt);
}
