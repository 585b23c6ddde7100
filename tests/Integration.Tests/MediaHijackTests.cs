using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CallCenter.Telephony.Codecs;

namespace CallCenter.Integration.Tests;

/// <summary>
/// Issue 12's media attack, as an outsider on the network would run it: while a real sipp caller
/// waits in the VIP queue (greeting, then music) with its media at the test's own RTP peer, a
/// second socket sweeps the platform's whole RTP range with well-formed, in-sequence A-law packets.
/// Strict symmetric RTP must leave the call where it was: the sweeper hears nothing, the caller
/// keeps hearing the platform, and /health counts the foreign packets.
/// </summary>
[NonParallelizable]
public sealed class MediaHijackTests
{
    private const double CallerTone = 700;
    private const double AttackerTone = 1900;

    [Test]
    public async Task ASweepOfTheRtpRangeNeitherHearsTheCallerNorTakesTheCallsMedia()
    {
        await using var platform = await PlatformProcess.StartAsync();
        await using var callerMedia = new RtpProbe(CallerTone);
        await using var caller = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("monitor-caller.xml", new() { ["{CALLER}"] = "13800000001", ["{MEDIA_PORT}"] = callerMedia.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["{TALK_MS}"] = "20000" }),
            "-s", "95501", "-m", "1", "-timeout", "60s", "-timeout_error"]);

        Assert.That(await callerMedia.WaitForAudioAsync(TimeSpan.FromSeconds(15)), Is.True, "the caller never heard the platform\n" + platform.Output);
        var before = await ForeignDroppedAsync(platform);

        // The sweep: to every even port of the range, 20 ms apart, each port its own run of
        // consecutive sequence numbers (what a NAT'd phone would send), for three seconds.
        using var attacker = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        attacker.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var heardByAttacker = 0;
        using var stop = new CancellationTokenSource();
        var listening = ListenAsync(attacker, () => Interlocked.Increment(ref heardByAttacker), stop.Token);
        var sweepStarted = RtpProbe.Now;
        var sent = await SweepAsync(attacker, platform.RtpPortMin, PlatformProcess.RtpPortCount, TimeSpan.FromSeconds(3));

        // Whatever the platform would send the sweeper (it took the media) arrives within this second.
        await Task.Delay(1000);
        var heardDuringSweep = callerMedia.FramesSince(sweepStarted);
        var heardAfter = callerMedia.FramesSince(RtpProbe.Now - (System.Diagnostics.Stopwatch.Frequency / 2));
        await stop.CancelAsync();
        await listening;
        var after = await ForeignDroppedAsync(platform);
        var injected = callerMedia.Heard(AttackerTone, sweepStarted, RtpProbe.Now);

        Assert.That(sent, Is.GreaterThan(10_000), "the sweep did not run");
        Assert.That(heardByAttacker, Is.Zero, "the platform sent the call's audio to the sweeper\n" + platform.Output);
        Assert.That(heardDuringSweep, Is.GreaterThan(150), "the caller stopped hearing the platform during the sweep");
        Assert.That(heardAfter, Is.GreaterThan(15), "the caller stopped hearing the platform after the sweep");
        Assert.That(injected, Is.LessThan(100), "the sweeper's tone reached the caller");
        Assert.That(after - before, Is.GreaterThanOrEqualTo(100), "the sweep's packets to the live leg were not counted as foreign on /health");

        var result = await caller.WaitAsync(TimeSpan.FromSeconds(40));
        Assert.That(result.SuccessfulCalls, Is.EqualTo(1), result.Output + platform.Output);
    }

    private static async Task<long> ForeignDroppedAsync(PlatformProcess platform)
    {
        using var health = JsonDocument.Parse(await platform.GetStringAsync("health"));
        return health.RootElement.GetProperty("rtp").GetProperty("foreignPacketsDropped").GetInt64();
    }

    /// <summary>Sends A-law frames of the attacker's tone to every even port in the range until <paramref name="duration"/> is over; returns the datagrams sent.</summary>
    private static async Task<long> SweepAsync(Socket attacker, int firstPort, int ports, TimeSpan duration)
    {
        var packet = new byte[12 + 160];
        var pcm = new short[160];
        for (var i = 0; i < pcm.Length; i++)
        {
            pcm[i] = (short)(6000 * Math.Sin(2 * Math.PI * AttackerTone * i / 8000));
        }

        G711.Encode(pcm, packet.AsSpan(12), G711Law.ALaw);
        packet[0] = 0x80;
        packet[1] = 8;
        BitConverter.TryWriteBytes(packet.AsSpan(8, 4), 0x0BAD_F00D);
        var targets = Enumerable.Range(0, ports / 2).Select(i => new IPEndPoint(IPAddress.Loopback, firstPort + (2 * i)).Serialize()).ToArray();
        long sent = 0;
        ushort sequence = 1;
        uint timestamp = 0;
        var deadline = RtpProbe.Now + (long)(duration.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (RtpProbe.Now < deadline && await timer.WaitForNextTickAsync())
        {
            packet[2] = (byte)(sequence >> 8);
            packet[3] = (byte)sequence;
            packet[4] = (byte)(timestamp >> 24);
            packet[5] = (byte)(timestamp >> 16);
            packet[6] = (byte)(timestamp >> 8);
            packet[7] = (byte)timestamp;
            sequence++;
            timestamp += 160;
            foreach (var target in targets)
            {
                try
                {
                    attacker.SendTo(packet, SocketFlags.None, target);
                    sent++;
                }
                catch (SocketException)
                {
                    // A closed port answers with ICMP: the next send reports it; go on sweeping.
                }
            }
        }

        return sent;
    }

    private static async Task ListenAsync(Socket attacker, Action heard, CancellationToken cancellationToken)
    {
        var buffer = new byte[2048];
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var received = await attacker.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancellationToken);
                if (received.ReceivedBytes >= 12 && buffer[0] >> 6 == 2)
                {
                    heard();
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                // ICMP port unreachable from a swept port nobody listens on.
            }
        }
    }
}
