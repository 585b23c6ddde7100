using System.Collections.Concurrent;
using Org.BouncyCastle.Tls;

namespace CallCenter.Telephony.WebRtc;

/// <summary>
/// BouncyCastle's view of the media port during the DTLS handshake: records the receive loop
/// recognised as DTLS (RFC 7983: first byte 20 to 63) are queued here, and what the handshake sends
/// goes out through <c>send</c> to the browser's ICE-selected address. At most 64 records wait; more
/// are dropped (the peer retransmits).
/// </summary>
public sealed class DtlsDatagramChannel : DatagramTransport, IDisposable
{
    // RFC 8261-style care for path MTU: records of at most 1200 bytes pass any tunnel a browser uses.
    private const int SendLimit = 1200;
    private const int ReceiveLimit = 1500;

    private readonly BlockingCollection<byte[]> _incoming = new(64);
    private readonly Action<byte[]> _send;
    private volatile bool _closed;

    public DtlsDatagramChannel(Action<byte[]> send)
    {
        _send = send;
    }

    /// <summary>Records dropped because the queue was full.</summary>
    public long Dropped { get; private set; }

    /// <summary>RFC 7983 7: a first byte of 20 to 63 is DTLS.</summary>
    public static bool LooksLikeDtls(ReadOnlySpan<byte> packet) => packet.Length >= 13 && packet[0] is >= 20 and <= 63;

    /// <summary>Queues a record from the receive loop; never blocks.</summary>
    public void Deliver(ReadOnlySpan<byte> record)
    {
        if (_closed || record.Length > ReceiveLimit || !_incoming.TryAdd(record.ToArray()))
        {
            Dropped++;
        }
    }

    public int GetReceiveLimit() => ReceiveLimit;

    public int GetSendLimit() => SendLimit;

    public int Receive(byte[] buf, int off, int len, int waitMillis)
    {
        if (_closed)
        {
            throw new IOException("the media leg ended");
        }

        if (!_incoming.TryTake(out var record, Math.Max(0, waitMillis)))
        {
            return -1;
        }

        var length = Math.Min(len, record.Length);
        record.AsSpan(0, length).CopyTo(buf.AsSpan(off));
        return length;
    }

    public int Receive(Span<byte> buffer, int waitMillis)
    {
        var array = new byte[buffer.Length];
        var length = Receive(array, 0, array.Length, waitMillis);
        if (length > 0)
        {
            array.AsSpan(0, length).CopyTo(buffer);
        }

        return length;
    }

    public void Send(byte[] buf, int off, int len)
    {
        if (!_closed)
        {
            _send(buf.AsSpan(off, len).ToArray());
        }
    }

    public void Send(ReadOnlySpan<byte> buffer)
    {
        if (!_closed)
        {
            _send(buffer.ToArray());
        }
    }

    public void Close() => _closed = true;

    public void Dispose()
    {
        _closed = true;
        _incoming.Dispose();
    }
}
