using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using CallCenter.FaxSms.Fax;
using CallCenter.Telephony.Codecs;

namespace CallCenter.Integration.Tests;

/// <summary>
/// The audio half of the tests' fax machines (<see cref="FaxPhone"/> calls, <see cref="FaxMachine"/>
/// answers): spandsp's T.30 (<see cref="FaxSession"/>) over RTP in real time, PCMU in 20 ms frames
/// on a timer, as a fax ATA would send it.
/// </summary>
internal static class FaxAudio
{
    /// <summary>
    /// Runs <paramref name="session"/> with the far end at <paramref name="remote"/> until T.30 ends,
    /// <paramref name="stop"/> says so (checked every frame), or <paramref name="cancellationToken"/> is cancelled.
    /// <paramref name="noiseHeard"/> and <paramref name="noiseSent"/> damage the line (seeded, so each run is alike): asked each
    /// frame with the RMS of the frame, they answer the peak of the white noise added to it (0: none), on what this side
    /// hears or on what it sends.
    /// </summary>
    public static async Task RunAsync(Socket rtp, IPEndPoint remote, FaxSession session, Func<bool> stop, CancellationToken cancellationToken, Func<double, int>? noiseHeard = null, Func<double, int>? noiseSent = null)
    {
        var random = new Random(16);
        using var receiving = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heard = new ConcurrentQueue<short[]>();
        var receiver = ReceiveAsync(rtp, heard, receiving.Token);
        var send = new short[FaxSession.FrameSamples];
        var packet = new byte[12 + FaxSession.FrameSamples];
        var ssrc = (uint)Random.Shared.Next();
        ushort sequence = 0;
        uint timestamp = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        try
        {
            while (!session.Completed && !stop() && await timer.WaitForNextTickAsync(cancellationToken))
            {
                // A backlog after a stall of ours is played through, a frame or two at a time.
                var frames = heard.Count > 5 ? 2 : 1;
                for (var i = 0; i < frames; i++)
                {
                    if (heard.TryDequeue(out var frame))
                    {
                        AddNoise(frame, noiseHeard, random);
                        session.Process(frame, send);
                    }
                    else
                    {
                        session.Process(ReadOnlySpan<short>.Empty, send);
                    }

                    AddNoise(send, noiseSent, random);
                    packet[0] = 0x80;
                    packet[1] = 0; // PCMU
                    packet[2] = (byte)(sequence >> 8);
                    packet[3] = (byte)sequence;
                    packet[4] = (byte)(timestamp >> 24);
                    packet[5] = (byte)(timestamp >> 16);
                    packet[6] = (byte)(timestamp >> 8);
                    packet[7] = (byte)timestamp;
                    packet[8] = (byte)(ssrc >> 24);
                    packet[9] = (byte)(ssrc >> 16);
                    packet[10] = (byte)(ssrc >> 8);
                    packet[11] = (byte)ssrc;
                    G711.Encode(send, packet.AsSpan(12), G711Law.MuLaw);
                    await rtp.SendToAsync(packet, SocketFlags.None, remote);
                    sequence++;
                    timestamp += FaxSession.FrameSamples;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Out of time: the session's result (or its hang-up) says where T.30 got to.
        }
        finally
        {
            await receiving.CancelAsync();
            await receiver;
        }
    }

    /// <summary>
    /// A hang-up in the middle of a page: true from <paramref name="into"/> after the session counted
    /// <paramref name="pagesDone"/> pages (for a test whose next page takes much longer than that to send).
    /// </summary>
    public static Func<FaxSession, bool> MidPage(int pagesDone, TimeSpan into)
    {
        long? since = null;
        return session =>
        {
            if (session.Pages < pagesDone)
            {
                return false;
            }

            since ??= Environment.TickCount64;
            return Environment.TickCount64 - since.Value >= (long)into.TotalMilliseconds;
        };
    }

    private static void AddNoise(short[] frame, Func<double, int>? noise, Random random)
    {
        if (noise is null)
        {
            return;
        }

        var sum = 0.0;
        foreach (var sample in frame)
        {
            sum += (double)sample * sample;
        }

        if (noise(Math.Sqrt(sum / frame.Length)) is > 0 and var peak)
        {
            for (var i = 0; i < frame.Length; i++)
            {
                frame[i] = (short)Math.Clamp(frame[i] + random.Next(-peak, peak + 1), short.MinValue, short.MaxValue);
            }
        }
    }

    private static async Task ReceiveAsync(Socket rtp, ConcurrentQueue<short[]> heard, CancellationToken cancellationToken)
    {
        var buffer = new byte[2048];
        while (!cancellationToken.IsCancellationRequested)
        {
            int length;
            try
            {
                length = (await rtp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancellationToken)).ReceivedBytes;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            // RFC 3550 5.1: a 12-byte header plus 4 per CSRC; PCMU only (what the tests' machines offer and answer).
            if (length < 12 || (buffer[0] >> 6) != 2 || (buffer[1] & 0x7F) != 0)
            {
                continue;
            }

            var header = 12 + (4 * (buffer[0] & 0x0F));
            var payload = buffer.AsSpan(header, length - header);
            for (var offset = 0; offset + FaxSession.FrameSamples <= payload.Length; offset += FaxSession.FrameSamples)
            {
                var pcm = new short[FaxSession.FrameSamples];
                G711.Decode(payload.Slice(offset, FaxSession.FrameSamples), pcm, G711Law.MuLaw);
                heard.Enqueue(pcm);
            }
        }
    }
}
