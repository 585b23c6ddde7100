using System.Buffers.Binary;
using System.Security.Cryptography;
using CallCenter.Telephony.Rtp.Srtp;

namespace CallCenter.Telephony.Tests.Rtp;

/// <summary>SRTP AES_CM_128_HMAC_SHA1_80 against RFC 3711's vectors and libsrtp's reference packet, and the attacks it stops.</summary>
public sealed class SrtpContextTests
{
    private static readonly byte[] _masterKey = Convert.FromHexString("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static readonly byte[] _masterSalt = Convert.FromHexString("0EC675AD498AFEEBB6960B3AABE6");

    [Test]
    public void SessionKeysAreDerivedAsRfc3711AppendixB3Says()
    {
        var keys = SrtpKeys.Derive(_masterKey, _masterSalt);

        Assert.Multiple(() =>
        {
            Assert.That(Convert.ToHexString(keys.RtpKey), Is.EqualTo("C61E7A93744F39EE10734AFE3FF7A087"));
            Assert.That(Convert.ToHexString(keys.RtpSaltKey), Is.EqualTo("30CBBC08863D8C85D49DB34A9AE1"));
            Assert.That(Convert.ToHexString(keys.RtpAuth), Is.EqualTo("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"));
        });
    }

    [Test]
    public void TheCounterModeKeystreamIsRfc3711AppendixB2s()
    {
        using var aes = new SrtpCipher(Convert.FromHexString("2B7E151628AED2A6ABF7158809CF4F3C"));
        var stream = new byte[48];

        aes.Keystream(Convert.FromHexString("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"), stream);

        Assert.That(Convert.ToHexString(stream), Is.EqualTo(
            "E03EAD0935C95E80E166B16DD92B4EB4" + "D23513162B02D0F72A43A2FE4A5F97AB" + "41E95B3BB0A2E8DD477901E4FCA894C0"));
    }

    [Test]
    public void TheReferencePacketProtectsAndUnprotectsAsLibsrtpDoes()
    {
        const string plain = "800F1234DECAFBADCAFEBABE" + "ABABABABABABABABABABABABABABABAB";
        const string protectedPacket = "800F1234DECAFBADCAFEBABE" + "4E55DC4CE79978D88CA4D215949D2402" + "B78D6ACC99EA179B8DBB";
        using var sender = new SrtpContext(SrtpKeys.Derive(_masterKey, _masterSalt));
        using var receiver = new SrtpContext(SrtpKeys.Derive(_masterKey, _masterSalt));
        var buffer = new byte[64];
        Convert.FromHexString(plain).CopyTo(buffer, 0);

        var length = sender.Protect(buffer, 28);
        Assert.That(Convert.ToHexString(buffer, 0, length), Is.EqualTo(protectedPacket));

        Assert.That(receiver.TryUnprotect(buffer, length, out var plainLength), Is.True);
        Assert.That(Convert.ToHexString(buffer, 0, plainLength), Is.EqualTo(plain));
    }

    [Test]
    public void ATamperedPacketAWrongKeyAndAReplayAreRefused()
    {
        using var sender = new SrtpContext(SrtpKeys.Derive(_masterKey, _masterSalt));
        using var receiver = new SrtpContext(SrtpKeys.Derive(_masterKey, _masterSalt));
        var wrongKey = (byte[])_masterKey.Clone();
        wrongKey[0] ^= 1;
        using var stranger = new SrtpContext(SrtpKeys.Derive(wrongKey, _masterSalt));

        var packet = Packet(1000, 0x11223344, 0x55);
        var length = sender.Protect(packet, 172);

        var tampered = (byte[])packet.Clone();
        tampered[40] ^= 0x01;
        Assert.That(receiver.TryUnprotect(tampered, length, out _), Is.False, "a flipped payload bit");
        Assert.That(stranger.TryUnprotect((byte[])packet.Clone(), length, out _), Is.False, "another key");

        var copy = (byte[])packet.Clone();
        Assert.That(receiver.TryUnprotect(packet, length, out _), Is.True);
        Assert.That(receiver.TryUnprotect(copy, length, out _), Is.False, "the same packet again (a replay)");
        Assert.That(receiver.Refused, Is.EqualTo(2));
    }

    [Test]
    public void PacketsSurviveTheSequenceNumberWrapAndReorderingWithinTheWindow()
    {
        using var sender = new SrtpContext(SrtpKeys.Derive(_masterKey, _masterSalt));
        using var receiver = new SrtpContext(SrtpKeys.Derive(_masterKey, _masterSalt));
        var sent = new List<(byte[] Packet, int Length, ushort Sequence)>();
        for (var i = 0; i < 200; i++)
        {
            var sequence = (ushort)(65_436 + i); // wraps after 100 packets: the rollover counter goes to 1
            var packet = Packet(sequence, 0xCAFEBABE, (byte)i);
            sent.Add((packet, sender.Protect(packet, 172), sequence));
        }

        // Swap neighbours across the wrap, as a network may.
        (sent[99], sent[100]) = (sent[100], sent[99]);
        foreach (var (packet, length, sequence) in sent)
        {
            Assert.That(receiver.TryUnprotect(packet, length, out var plainLength), Is.True, $"sequence {sequence}");
            Assert.That(plainLength, Is.EqualTo(172));
            Assert.That(BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2)), Is.EqualTo(sequence));
        }

        // Decrypted, each payload is the byte it was made with.
        Assert.That(sent.Select(s => s.Packet[12]).Distinct().Count(), Is.EqualTo(200));
    }

    [Test]
    public void APacketOlderThanTheWindowIsRefused()
    {
        using var sender = new SrtpContext(SrtpKeys.Derive(_masterKey, _masterSalt));
        using var receiver = new SrtpContext(SrtpKeys.Derive(_masterKey, _masterSalt));
        var old = Packet(10, 1, 0);
        var oldLength = sender.Protect(old, 172);
        for (ushort s = 11; s < 100; s++)
        {
            var packet = Packet(s, 1, 0);
            Assert.That(receiver.TryUnprotect(packet, sender.Protect(packet, 172), out _), Is.True);
        }

        Assert.That(receiver.TryUnprotect(old, oldLength, out _), Is.False);
    }

    [Test]
    public void APayloadIsUnreadableOnTheWire()
    {
        using var sender = new SrtpContext(SrtpKeys.Derive(_masterKey, _masterSalt));
        var packet = Packet(7, 9, 0x41);
        sender.Protect(packet, 172);

        Assert.That(packet.AsSpan(12, 160).ToArray().Count(b => b == 0x41), Is.LessThan(10), "a sniffer does not hear the caller");
    }

    private static byte[] Packet(ushort sequence, uint ssrc, byte fill)
    {
        var packet = new byte[172 + SrtpContext.TagLength];
        packet[0] = 0x80;
        packet[1] = 0x00;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), sequence * 160u);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        packet.AsSpan(12, 160).Fill(fill);
        return packet;
    }

    [Test]
    public void ProtectingAndUnprotectingAPacketAllocateNothing()
    {
        // The per-packet cost on the media path: a 20 ms G.711 frame out (protect) and one in (unprotect).
        using var sender = new SrtpContext(SrtpKeys.Derive(_masterKey, _masterSalt));
        using var receiver = new SrtpContext(SrtpKeys.Derive(_masterKey, _masterSalt));
        const int Packets = 100_000;
        var packet = new byte[172 + SrtpContext.TagLength];
        RoundTrips(sender, receiver, packet, 0, 10_000); // warm-up

        var before = GC.GetAllocatedBytesForCurrentThread();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var taken = RoundTrips(sender, receiver, packet, 10_000, Packets);
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        TestContext.Out.WriteLine($"SRTP protect + unprotect of a 160-byte frame: {elapsed.TotalNanoseconds / Packets:F0} ns");

        Assert.That(taken, Is.EqualTo(Packets));
        Assert.That(allocated, Is.Zero);
    }

    private static int RoundTrips(SrtpContext sender, SrtpContext receiver, byte[] packet, int first, int count)
    {
        var taken = 0;
        for (var i = first; i < first + count; i++)
        {
            packet.AsSpan().Clear();
            packet[0] = 0x80;
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)i);
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), (uint)i * 160);
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 0x1234_5678);
            var length = sender.Protect(packet, 172);
            if (receiver.TryUnprotect(packet, length, out _))
            {
                taken++;
            }
        }

        return taken;
    }
}
