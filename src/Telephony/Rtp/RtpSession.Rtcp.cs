using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CallCenter.Telephony.Rtp;

/// <summary>RTCP for a session (RFC 3550 6): SR or RR with SDES CNAME every ~5 s, BYE at the end.</summary>
public sealed partial class RtpSession
{
    private const int TicksPerSecond = 50;
    private static readonly byte[] _cname = Encoding.ASCII.GetBytes("callcenter@" + Environment.MachineName);

    // A compound report is written on the stack of the thread that sends it (the clock's, or the closing one's):
    // no buffer is kept per session for the few reports a short call sends.
    private const int ReportBytes = 512;

    private long _nextReport;
    private long _reportsReceived;
    private volatile bool _rtcpSent;
    private long _rtcpDropped;

    /// <summary>RTCP compound packets received from the peer (reports of how our audio arrives).</summary>
    public long ReportsReceived => Interlocked.Read(ref _reportsReceived);

    /// <summary>RTCP datagrams that did not parse.</summary>
    public long RtcpDropped => Interlocked.Read(ref _rtcpDropped);

    /// <summary>The last report of how the peer's audio arrives here: loss and jitter (RFC 3550 A.3, A.8), or null before any valid packet.</summary>
    public RtcpReportBlock? LastReceptionReport { get; private set; }

    private static long NextReportTick(long tick, bool initial) =>
        tick + (long)(RtcpInterval.Next(members: 2, senders: 2, rtcpBandwidth: 400, weSent: true, averageRtcpSize: 100, initial, Random.Shared).TotalSeconds * TicksPerSecond);

    private void SendReport(long tick)
    {
        _nextReport = NextReportTick(tick, initial: false);
        if (Volatile.Read(ref _remote).Port == 0)
        {
            return; // an outgoing leg before the answer: nowhere to report to yet
        }

        Span<byte> report = stackalloc byte[ReportBytes];
        var writer = new RtcpCompoundWriter(report);
        Span<RtcpReportBlock> blocks = stackalloc RtcpReportBlock[1];
        var count = 0;
        lock (_receiveGate)
        {
            if (_received?.TryCreateReportBlock(out blocks[0]) == true)
            {
                LastReceptionReport = blocks[0];
                count = 1;
            }
        }

        if (_sent.PacketsSent > 0)
        {
            writer.WriteSenderReport(Ssrc, _sent.CreateSenderInfo(_time.GetUtcNow(), _timestamp), blocks[..count]);
        }
        else
        {
            writer.WriteReceiverReport(Ssrc, blocks[..count]);
        }

        writer.WriteSourceDescription(Ssrc, _cname);
        SendRtcp(report, writer.Written.Length);
    }

    /// <summary>
    /// The BYE at the end, for a session that sent anything. RFC 3550 6.3.7: a participant that never sent an RTP or
    /// RTCP packet sends no BYE either (a call refused, cancelled or hung up before its first frame left: the peer has
    /// no source of ours to forget).
    /// </summary>
    private void SendGoodbye()
    {
        if (_sent.PacketsSent == 0 && !_rtcpSent)
        {
            return;
        }

        Span<byte> report = stackalloc byte[ReportBytes];
        var writer = new RtcpCompoundWriter(report);
        writer.WriteReceiverReport(Ssrc, []);
        writer.WriteSourceDescription(Ssrc, _cname);
        writer.WriteGoodbye([Ssrc], []);
        SendRtcp(report, writer.Written.Length);
    }

    /// <summary>Sends the compound packet written at the start of <paramref name="report"/>, as SRTCP on a secure session.</summary>
    private void SendRtcp(Span<byte> report, int length)
    {
        if (WebRtc is not null && Volatile.Read(ref _sendSrtcp) is null)
        {
            return; // a browser's session before its DTLS keys: nothing goes out plain
        }

        length = ProtectRtcp(report, length);
        _rtcpSent = true;
        TrySend(_rtcp, report[..length], Volatile.Read(ref _remoteRtcp));
    }

    private async Task ReceiveRtcpAsync(CancellationToken cancellationToken)
    {
        var buffer = _sockets.RtcpBuffer;
        var any = AnyEndPoint(_rtcp);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var received = await _rtcp.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken);
                HandleRtcp(buffer.AsSpan(0, received.ReceivedBytes), RtpSource.From((IPEndPoint)received.RemoteEndPoint));
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // ICMP from an earlier send; keep listening.
            }
        }
    }

    /// <summary>
    /// The RTCP port as the shared <see cref="RtpReceiveLoop"/> reads it: one datagram per readiness,
    /// on a loop thread, as the RTP port is read.
    /// </summary>
    private sealed class RtcpPort(RtpSession session) : IRtpReadable
    {
        private readonly SocketAddress _from = AnyEndPoint(session._rtcp).Serialize();

        public Socket Socket => session._rtcp;

        public void OnReadable(byte[] buffer)
        {
            if (Volatile.Read(ref session._disposed) != 0)
            {
                return; // ended: the loop lets go of the socket next
            }

            int length;
            try
            {
                length = session._rtcp.ReceiveFrom(buffer, SocketFlags.None, _from);
            }
            catch (SocketException)
            {
                return; // nothing after all, or ICMP from an earlier send
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            session.HandleRtcp(buffer.AsSpan(0, length), RtpSource.From(_from));
        }
    }

    private void HandleRtcp(Span<byte> datagram, RtpSource from)
    {
        bool ours;
        lock (_sourceGate)
        {
            ours = _sources.CheckControl(from);
        }

        if (!ours)
        {
            // Strict symmetric RTP covers RTCP too: an outsider's SR must not steer our reports.
            Interlocked.Increment(ref _foreignDropped);
            _totals.CountForeignDropped();
            return;
        }

        if (!TryUnprotectRtcp(datagram, out var plainLength))
        {
            return;
        }

        if (!RtcpCompoundPacket.TryParse(datagram[..plainLength], out var compound, out _))
        {
            Interlocked.Increment(ref _rtcpDropped);
            _totals.CountDropped();
            return;
        }

        Interlocked.Increment(ref _reportsReceived);
        foreach (var packet in compound)
        {
            if (packet.Type == RtcpPacketType.SenderReport)
            {
                lock (_receiveGate)
                {
                    // RFC 3550 6.4.1: LSR/DLSR in our next report refer to this SR.
                    if (_received is { } stats && stats.Ssrc == packet.SenderSsrc)
                    {
                        stats.OnSenderReport(packet.SenderInfo.NtpTimestamp);
                    }
                }
            }
        }
    }
}
