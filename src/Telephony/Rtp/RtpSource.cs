using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace CallCenter.Telephony.Rtp;

/// <summary>
/// A media source's transport address as a plain value (IPv4 held as IPv4-mapped IPv6, RFC 4291
/// 2.5.5.2), so that the per-packet source check compares two numbers instead of building an
/// <see cref="IPEndPoint"/>. Port 0 means "none": nothing negotiated yet (an outgoing leg before
/// the answer) or nothing learned.
/// </summary>
public readonly record struct RtpSource(UInt128 Address, ushort Port)
{
    private const int SockAddrPort = 2;      // sockaddr_in and sockaddr_in6: family, then the port in network order
    private const int SockAddrIPv4 = 4;      // sockaddr_in: the address after the port
    private const int SockAddrIPv6 = 8;      // sockaddr_in6: the address after the port and flow info
    private static readonly UInt128 _mappedPrefix = (UInt128)0xFFFF << 32;

    public bool IsNone => Port == 0;

    /// <summary>The source of an endpoint taken from SDP (or where a datagram came from, off the per-packet path).</summary>
    public static RtpSource From(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        Span<byte> bytes = stackalloc byte[16];
        var address = endPoint.Address;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            address.TryWriteBytes(bytes, out _);
            return new RtpSource(_mappedPrefix | BinaryPrimitives.ReadUInt32BigEndian(bytes), (ushort)endPoint.Port);
        }

        address.TryWriteBytes(bytes, out _);
        return new RtpSource(BinaryPrimitives.ReadUInt128BigEndian(bytes), (ushort)endPoint.Port);
    }

    /// <summary>The source of a received datagram, read from the socket address the receive filled in; allocates nothing.</summary>
    public static RtpSource From(SocketAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bytes = address.Buffer.Span;
        var port = BinaryPrimitives.ReadUInt16BigEndian(bytes[SockAddrPort..]);
        return address.Family == AddressFamily.InterNetworkV6
            ? new RtpSource(BinaryPrimitives.ReadUInt128BigEndian(bytes.Slice(SockAddrIPv6, 16)), port)
            : new RtpSource(_mappedPrefix | BinaryPrimitives.ReadUInt32BigEndian(bytes.Slice(SockAddrIPv4, 4)), port);
    }

    /// <summary>Same host, any port: RTCP comes from its own NAT mapping, so only the address can be compared.</summary>
    public bool SameAddress(RtpSource other) => Address == other.Address;

    public IPEndPoint ToEndPoint()
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, Address);
        var address = new IPAddress(bytes);
        return new IPEndPoint(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, Port);
    }

    public override string ToString() => ToEndPoint().ToString();
}
