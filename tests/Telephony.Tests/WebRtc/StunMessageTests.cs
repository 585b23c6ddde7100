using System.Buffers.Binary;
using System.Net;
using System.Text;
using CallCenter.Telephony.WebRtc;

namespace CallCenter.Telephony.Tests.WebRtc;

/// <summary>STUN parsing, MESSAGE-INTEGRITY and FINGERPRINT against the test vectors of RFC 5769.</summary>
public sealed class StunMessageTests
{
    internal const string Password = "VOkJxbRl1RmTxUk/WvJxBt";

    // RFC 5769 2.1: a Binding request from "STUN test client", USERNAME evtj:h6vY, ICE-CONTROLLED.
    internal static readonly byte[] SampleRequest = Convert.FromHexString(
        "000100582112a442b7e7a701bc34d686fa87dfae" +
        "802200105354554e20746573742063" + "6c69656e74" +
        "002400046e0001ff" +
        "80290008932ff9b151263b36" +
        "000600096576746a3a68367659202020" +
        "000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2" +
        "80280004e57a3bcf");

    // RFC 5769 2.2: the IPv4 response, mapped address 192.0.2.1 port 32853.
    private static readonly byte[] _sampleIpv4Response = Convert.FromHexString(
        "0101003c2112a442b7e7a701bc34d686fa87dfae" +
        "8022000b7465737420766563746f7220" +
        "002000080001a147e112a643" +
        "000800142b91f599fd9e90c38c7489f92af9ba53f06be7d7" +
        "80280004c07d4c96");

    private static byte[] Key => Encoding.UTF8.GetBytes(Password);

    [Test]
    public void TheSampleRequestParsesAndItsIntegrityAndFingerprintVerify()
    {
        var message = StunMessage.TryParse(SampleRequest, out var error);

        Assert.That(error, Is.Null);
        Assert.That(message!.Type, Is.EqualTo(StunMessage.BindingRequest));
        Assert.That(message.UserName, Is.EqualTo("evtj:h6vY"));
        Assert.That(message.IcePriority, Is.EqualTo(0x6e0001ffu));
        Assert.That(message.HasUseCandidate, Is.False);
        Assert.That(message.VerifyIntegrity(SampleRequest, Key), Is.True);
        Assert.That(message.VerifyFingerprint(SampleRequest), Is.True);
    }

    [Test]
    public void TheSampleResponseVerifies()
    {
        var message = StunMessage.TryParse(_sampleIpv4Response, out _);

        Assert.That(message!.Type, Is.EqualTo(StunMessage.BindingSuccess));
        Assert.That(message.VerifyIntegrity(_sampleIpv4Response, Key), Is.True);
        Assert.That(message.VerifyFingerprint(_sampleIpv4Response), Is.True);
    }

    [Test]
    public void AnyChangedByteOrTheWrongPasswordFailsTheIntegrityCheck()
    {
        var message = StunMessage.TryParse(SampleRequest, out _)!;
        Assert.That(message.VerifyIntegrity(SampleRequest, Encoding.UTF8.GetBytes("VOkJxbRl1RmTxUk/WvJxBu")), Is.False);

        for (var i = 0; i < message.IntegrityOffset; i++)
        {
            if (i is 2 or 3)
            {
                continue; // the length field: changed, the message no longer parses at all
            }

            var changed = (byte[])SampleRequest.Clone();
            changed[i] ^= 0x01;
            var parsed = StunMessage.TryParse(changed, out _);
            Assert.That(parsed is null || !parsed.VerifyIntegrity(changed, Key), Is.True, $"byte {i} changed");
        }
    }

    [Test]
    public void TruncatedOrMisframedInputIsRefusedWithAReason()
    {
        Assert.That(StunMessage.TryParse(SampleRequest.AsSpan(0, 50), out var error), Is.Null);
        Assert.That(error, Does.Contain("length"));
        Assert.That(StunMessage.TryParse(new byte[] { 0x80, 0, 0, 0 }, out error), Is.Null, "an RTP packet");
        Assert.That(StunMessage.LooksLikeStun(new byte[] { 22, 254, 253, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }), Is.False, "a DTLS record");

        var runsOver = (byte[])SampleRequest.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(runsOver.AsSpan(22), 0x0100);
        Assert.That(StunMessage.TryParse(runsOver, out error), Is.Null);
        Assert.That(error, Does.Contain("past the end"));
    }

    [Test]
    public void OurBindingSuccessCarriesTheXoredAddressOfTheVectorsAndVerifies()
    {
        var transaction = SampleRequest.AsSpan(8, 12).ToArray();

        var ipv4 = StunWriter.BindingSuccess(transaction, new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853), Key);
        var ipv6 = StunWriter.BindingSuccess(transaction, new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853), Key);

        // The XOR-MAPPED-ADDRESS values of RFC 5769 2.2 and 2.3.
        Assert.That(Convert.ToHexStringLower(ipv4.AsSpan(20, 12)), Is.EqualTo("002000080001a147e112a643"));
        Assert.That(Convert.ToHexStringLower(ipv6.AsSpan(20, 24)), Is.EqualTo("002000140002a1470113a9faa5d3f179bc25f4b5bed2b9d9"));
        foreach (var packet in new[] { ipv4, ipv6 })
        {
            var parsed = StunMessage.TryParse(packet, out var error);
            Assert.That(error, Is.Null);
            Assert.That(parsed!.VerifyIntegrity(packet, Key), Is.True);
            Assert.That(parsed.VerifyFingerprint(packet), Is.True);
        }
    }
}
