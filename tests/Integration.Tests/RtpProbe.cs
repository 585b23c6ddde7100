using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CallCenter.Telephony.Codecs;

namespace CallCenter.Integration.Tests;

/// <summary>
/// A hand-written RTP peer on loopback for a sipp phone whose SDP points here: it sends a pure
/// tone of its own frequency (A-law, 20 ms frames) to wherever the platform's media comes from
/// (symmetric RTP), and keeps what it receives so a test can ask how loud a given tone arrived
/// in a time window. Per-frame Goertzel at multiples of 50 Hz: each 160-sample frame holds whole
/// periods, so one tone does not leak into another's bin.
/// </summary>
internal sealed class RtpProbe : IAsyncDisposable
{
    private const int Samples = 160;
    private const double Amplitude = 6000;

    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<(long At, short[] Pcm)> _frames = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<char> _keys = new();
    private readonly double _frequency;
    private readonly Task _receiving;
    private readonly Task _sending;
    private IPEndPoint? _peer;

    public RtpProbe(double frequency)
    {
        _frequency = frequency;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _receiving = ReceiveAsync(_stopping.Token);
        _sending = SendAsync(_stopping.Token);
    }

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <summary>
    /// Keys the digits as RFC 4733 events (payload type 101, as the scenarios offer) in the probe's own
    /// stream: each one 100 ms of event packets then three end packets, then 200 ms of the tone.
    /// </summary>
    public void Press(string keys)
    {
        foreach (var key in keys)
        {
            _keys.Enqueue(key);
        }
    }

    public static long Now => Stopwatch.GetTimestamp();

    /// <summary>Frames received since <paramref name="since"/> (a <see cref="Now"/>).</summary>
    public int FramesSince(long since)
    {
        lock (_gate)
        {
            return _frames.Count(f => f.At >= since);
        }
    }

    /// <summary>
    /// The mean amplitude of a <paramref name="frequency"/> tone in the frames received between
    /// <paramref name="from"/> and <paramref name="to"/>: about 6000 for another probe's tone heard
    /// at full level, near 0 for a tone not heard.
    /// </summary>
    public double Heard(double frequency, long from, long to)
    {
        List<short[]> frames;
        lock (_gate)
        {
            frames = [.. _frames.Where(f => f.At >= from && f.At <= to).Select(f => f.Pcm)];
        }

        return frames.Count == 0 ? 0 : frames.Average(pcm => Goertzel(pcm, frequency));
    }

    /// <summary>Waits until frames arrive again and again (the leg is joined); false after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForAudioAsync(TimeSpan timeout)
    {
        var start = Now;
        while (Stopwatch.GetElapsedTime(start) < timeout)
        {
            if (FramesSince(Now - (Stopwatch.Frequency / 2)) >= 10)
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    private static double Goertzel(short[] pcm, double frequency)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * frequency / 8000);
        double s1 = 0, s2 = 0;
        foreach (var sample in pcm)
        {
            var s0 = sample + (coefficient * s1) - s2;
            s2 = s1;
            s1 = s0;
        }

        var power = (s1 * s1) + (s2 * s2) - (coefficient * s1 * s2);
        return 2 * Math.Sqrt(Math.Max(0, power)) / pcm.Length;
    }

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[2048];
        while (!cancellationToken.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            // RFC 3550 5.1: version 2, PCMA (8) or PCMU (0); the header is 12 bytes plus 4 per CSRC.
            var length = received.ReceivedBytes;
            if (length < 12 || (buffer[0] >> 6) != 2)
            {
                continue;
            }

            var payloadType = buffer[1] & 0x7f;
            var header = 12 + (4 * (buffer[0] & 0x0f));
            if ((payloadType != 8 && payloadType != 0) || length - header != Samples)
            {
                continue;
            }

            Volatile.Write(ref _peer, (IPEndPoint)received.RemoteEndPoint);
            var pcm = new short[Samples];
            G711.Decode(buffer.AsSpan(header, Samples), pcm, payloadType == 8 ? G711Law.ALaw : G711Law.MuLaw);
            lock (_gate)
            {
                _frames.Add((Now, pcm));
            }
        }
    }

    private async Task SendAsync(CancellationToken cancellationToken)
    {
        var packet = new byte[12 + Samples];
        var pcm = new short[Samples];
        ushort sequence = 1;
        uint timestamp = 0;
        long phase = 0;
        var keyTicks = 0;
        byte keyEvent = 0;
        uint keyStart = 0;
        packet[0] = 0x80;
        packet[1] = 8;
        BitConverter.TryWriteBytes(packet.AsSpan(8, 4), Random.Shared.Next());
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (Volatile.Read(ref _peer) is not { } peer)
                {
                    continue;
                }

                if (keyTicks == 0 && _keys.TryDequeue(out var key))
                {
                    keyEvent = key switch { '*' => 10, '#' => 11, _ => (byte)(key - '0') };
                    keyTicks = 18;
                    keyStart = timestamp;
                }

                if (keyTicks > 10)
                {
                    // RFC 4733 2.5: one timestamp for the event, the duration growing; the last three packets end it.
                    var tick = 18 - keyTicks;
                    var end = tick >= 5;
                    var duration = (ushort)(Samples * Math.Min(tick + 1, 6));
                    var dtmf = new byte[16];
                    dtmf[0] = 0x80;
                    dtmf[1] = (byte)(101 | (tick == 0 ? 0x80 : 0));
                    dtmf[2] = (byte)(sequence >> 8);
                    dtmf[3] = (byte)sequence;
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(dtmf.AsSpan(4), keyStart);
                    packet.AsSpan(8, 4).CopyTo(dtmf.AsSpan(8));
                    dtmf[12] = keyEvent;
                    dtmf[13] = (byte)((end ? 0x80 : 0) | 10);
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(dtmf.AsSpan(14), duration);
                    sequence++;
                    keyTicks--;
                    if (keyTicks == 10)
                    {
                        timestamp += (uint)(Samples * 6);
                    }

                    try
                    {
                        await _socket.SendToAsync(dtmf, SocketFlags.None, peer, cancellationToken);
                    }
                    catch (SocketException)
                    {
                    }

                    continue;
                }

                if (keyTicks > 0)
                {
                    keyTicks--;
                }

                for (var i = 0; i < Samples; i++, phase++)
                {
                    pcm[i] = (short)(Amplitude * Math.Sin(2 * Math.PI * _frequency * phase / 8000));
                }

                G711.Encode(pcm, packet.AsSpan(12), G711Law.ALaw);
                packet[2] = (byte)(sequence >> 8);
                packet[3] = (byte)sequence;
                packet[4] = (byte)(timestamp >> 24);
                packet[5] = (byte)(timestamp >> 16);
                packet[6] = (byte)(timestamp >> 8);
                packet[7] = (byte)timestamp;
                sequence++;
                timestamp += Samples;
                try
                {
                    await _socket.SendToAsync(packet, SocketFlags.None, peer, cancellationToken);
                }
                catch (SocketException)
                {
                    // The platform closed that port (its leg ended): the next packet goes to the next peer.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _socket.Dispose();
        await Task.WhenAll(_receiving, _sending);
        _stopping.Dispose();
    }
}
