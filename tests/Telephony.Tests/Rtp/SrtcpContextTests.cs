using CallCenter.Telephony.Rtp.Srtp;

namespace CallCenter.Telephony.Tests.Rtp;

/// <summary>SRTCP AES_CM_128_HMAC_SHA1_80 against libsrtp's reference packet, and the forgeries and replays it refuses.</summary>
public sealed class SrtcpContextTests
{
    private static readonly byte[] _masterKey = Convert.FromHexString("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static readonly byte[] _masterSalt = Convert.FromHexString("0EC675AD498AFEEBB6960B3AABE6");

    // libsrtp's srtp_validate: a sender report of SSRC 0xCAFEBABE, protected as SRTCP index 1 (libsrtp counts from 1).
    private const string Plain = "81C8000BCAFEBABE" + "ABABABABABABABABABABABABABABABAB";
    private const string Protected = "81C8000BCAFEBABE" + "7128035BE487B9BDBEF89041F977A5A8" + "80000001" + "993E08CD54D6C1230798";

    [Test]
    public void TheReferencePacketUnprotectsAsLibsrtpProtectedIt()
    {
        using var receiver = new SrtcpContext(SrtpKeys.Derive(_masterKey, _masterSalt));
        var buffer = Convert.FromHexString(Protected);

        Assert.That(receiver.TryUnprotect(buffer, buffer.Length, out var plainLength), Is.True);
        Assert.That(Convert.ToHexString(buffer, 0, plainLength), Is.EqualTo(Plain));
    }

    [Test]
    public void OurSecondPacketIsByteForByteLibsrtpsIndexOne()
    {
        // RFC 3711 3.3.2: our index starts at 0, so the second packet carries index 1 like the vector.
        using var sender = new SrtcpContext(SrtpKeys.Derive(_masterKey, _masterSalt));
        var buffer = new byte[64];
        Convert.FromHexString(Plain).CopyTo(buffer, 0);
        var first = sender.Protect(buffer, 24);
        Assert.That(Convert.ToHexString(buffer, 24, 4), Is.EqualTo("80000000"));

        Convert.FromHexString(Plain).CopyTo(buffer, 0);
        var length = sender.Protect(buffer, 24);

        Assert.That(first, Is.EqualTo(24 + SrtcpContext.Overhead));
        Assert.That(Convert.ToHexString(buffer, 0, length), Is.EqualTo(Protected));
    }

    [Test]
    public void AForgedATamperedAndAReplayedReportAreRefused()
    {
        using var sender = new SrtcpContext(SrtpKeys.Derive(_masterKey, _masterSalt));
        using var receiver = new SrtcpContext(SrtpKeys.Derive(_masterKey, _masterSalt));
        var packet = new byte[64];
        Convert.FromHexString(Plain).CopyTo(packet, 0);
        var length = sender.Protect(packet, 24);

        var tampered = (byte[])packet.Clone();
        tampered[12] ^= 0x01;
        Assert.That(receiver.TryUnprotect(tampered, length, out _), Is.False, "a flipped bit");

        // An outsider's plain RTCP with room for a tag is not SRTCP.
        var forged = new byte[64];
        Convert.FromHexString(Plain).CopyTo(forged, 0);
        Assert.That(receiver.TryUnprotect(forged, 24 + SrtcpContext.Overhead, out _), Is.False, "a plain report padded to look protected");
        Assert.That(receiver.TryUnprotect(forged, 20, out _), Is.False, "too short to carry a tag");

        var copy = (byte[])packet.Clone();
        Assert.That(receiver.TryUnprotect(packet, length, out _), Is.True);
        Assert.That(receiver.TryUnprotect(copy, length, out _), Is.False, "the same report again (a replay)");
        Assert.That(receiver.Refused, Is.EqualTo(4));
    }

    [Test]
    public void ReportsOutOfOrderWithinTheWindowAreTakenOnce()
    {
        using var sender = new SrtcpContext(SrtpKeys.Derive(_masterKey, _masterSalt));
        using var receiver = new SrtcpContext(SrtpKeys.Derive(_masterKey, _masterSalt));
        var packets = new List<(byte[] Bytes, int Length)>();
        for (var i = 0; i < 100; i++)
        {
            var buffer = new byte[64];
            Convert.FromHexString(Plain).CopyTo(buffer, 0);
            packets.Add((buffer, sender.Protect(buffer, 24)));
        }

        Assert.That(receiver.TryUnprotect(packets[90].Bytes, packets[90].Length, out _), Is.True);
        Assert.That(receiver.TryUnprotect(packets[89].Bytes, packets[89].Length, out var plain), Is.True, "one behind");
        Assert.That(Convert.ToHexString(packets[89].Bytes, 0, plain), Is.EqualTo(Plain));
        Assert.That(receiver.TryUnprotect(packets[10].Bytes, packets[10].Length, out _), Is.False, "80 behind: older than the window");
        Assert.That(receiver.TryUnprotect(packets[99].Bytes, packets[99].Length, out _), Is.True);
    }
}
