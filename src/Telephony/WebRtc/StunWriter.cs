using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace CallCenter.Telephony.WebRtc;

/// <summary>Builds the STUN messages ICE-lite sends: a Binding success response with XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY and FINGERPRINT.</summary>
public static class StunWriter
{
    /// <summary>RFC 5389 7.3.1 and RFC 8445 7.3.1.4: the answer to a check from <paramref name="mapped"/>, signed with <paramref name="key"/> (our ice-pwd).</summary>
    public static byte[] BindingSuccess(ReadOnlySpan<byte> transactionId, IPEndPoint mapped, ReadOnlySpan<byte> key)
    {
        ArgumentNullException.ThrowIfNull(mapped);
        var address = mapped.Address.IsIPv4MappedToIPv6 ? mapped.Address.MapToIPv4() : mapped.Address;
        var addressLength = address.AddressFamily == AddressFamily.InterNetwork ? 4 : 16;
        var xorLength = 4 + 4 + addressLength;
        var total = StunMessage.HeaderLength + xorLength + 24 + 8;
        var packet = new byte[total];
        var span = packet.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(span, StunMessage.BindingSuccess);
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], StunMessage.MagicCookie);
        transactionId.CopyTo(span[8..20]);

        // RFC 5389 15.2: port XOR the cookie's top half; address XOR the cookie (and the transaction id for IPv6).
        var offset = StunMessage.HeaderLength;
        BinaryPrimitives.WriteUInt16BigEndian(span[offset..], StunMessage.XorMappedAddress);
        BinaryPrimitives.WriteUInt16BigEndian(span[(offset + 2)..], (ushort)(4 + addressLength));
        span[offset + 5] = (byte)(addressLength == 4 ? 1 : 2);
        BinaryPrimitives.WriteUInt16BigEndian(span[(offset + 6)..], (ushort)(mapped.Port ^ (StunMessage.MagicCookie >> 16)));
        address.TryWriteBytes(span[(offset + 8)..], out _);
        for (var i = 0; i < addressLength; i++)
        {
            // The cookie and transaction id are bytes 4 to 19 of the header.
            span[offset + 8 + i] ^= span[4 + i];
        }

        offset += xorLength;
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], (ushort)(offset - StunMessage.HeaderLength));
        BinaryPrimitives.WriteUInt16BigEndian(span[offset..], StunMessage.MessageIntegrity);
        BinaryPrimitives.WriteUInt16BigEndian(span[(offset + 2)..], 20);
        StunMessage.ComputeIntegrity(span[..offset], key, span.Slice(offset + 4, 20));
        offset += 24;

        BinaryPrimitives.WriteUInt16BigEndian(span[offset..], StunMessage.Fingerprint);
        BinaryPrimitives.WriteUInt16BigEndian(span[(offset + 2)..], 4);
        BinaryPrimitives.WriteUInt32BigEndian(span[(offset + 4)..], StunMessage.ComputeFingerprint(span[..offset]));
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], (ushort)(total - StunMessage.HeaderLength));
        return packet;
    }
}
