using System.Net;
using System.Net.Sockets;
using CallCenter.Telephony.Codecs;
using CallCenter.Telephony.Media;
using CallCenter.Telephony.Rtp;
using CallCenter.TestSupport;

namespace CallCenter.Telephony.Tests.Rtp;

/// <summary>
/// Two joined legs on real loopback sockets, with no media clock running: a packet one leg
/// receives is sent on by the other as it arrives (its own SSRC and sequence, the sender's
/// timestamps moved onto its timeline), unless that leg plays something else (hold, a prompt,
/// another law), when only its clock sends. The recording tap still sees the audio on the clock.
/// </summary>
public sealed class RtpRelayTests
{
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(2);

    private sealed class Peer : IDisposable
    {
        public Socket Socket { get; } = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

        public Peer()
        {
            Socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            Socket.ReceiveTimeout = (int)_wait.TotalMilliseconds;
        }

        public IPEndPoint EndPoint => (IPEndPoint)Socket.LocalEndPoint!;

        public void Send(RtpSession to, ushort sequence, uint timestamp, byte fill, int payloadType = 8, int length = 160)
        {
            var datagram = new byte[RtpPacket.FixedHeaderLength + length];
            RtpPacket.Write(datagram, payloadType, marker: false, sequence, timestamp, 0x1234_5678, Enumerable.Repeat(fill, length).ToArray());
            Socket.SendTo(datagram, new IPEndPoint(IPAddress.Loopback, to.LocalPort));
        }

        /// <summary>The next datagram, or null when none comes within <paramref name="within"/>.</summary>
        public byte[]? Receive(TimeSpan within)
        {
            Socket.ReceiveTimeout = Math.Max(1, (int)within.TotalMilliseconds);
            var buffer = new byte[2048];
            try
            {
                var n = Socket.Receive(buffer);
                return buffer[..n];
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                return null;
            }
        }

        public void Dispose() => Socket.Dispose();
    }

    private sealed record Heard(uint Ssrc, int PayloadType, bool Marker, ushort Sequence, uint Timestamp, byte[] Payload);

    private static Heard Parse(byte[]? datagram)
    {
        Assert.That(datagram, Is.Not.Null, "nothing arrived");
        Assert.That(RtpPacket.TryParse(datagram, out var p, out _), Is.True);
        return new Heard(p.Ssrc, p.PayloadType, p.Marker, p.SequenceNumber, p.Timestamp, p.Payload.ToArray());
    }

    private static RtpSession Open(IPEndPoint remote, G711Law law = G711Law.ALaw)
    {
        var first = FreePorts.InProcessBlock(10); // free now, not a fixed range (other test processes run beside)
        var ports = new RtpPortAllocator(new RtpOptions { PortMin = first, PortMax = first + 9 });
        return RtpSession.Open(ports, IPAddress.Loopback, remote, new RtpMediaFormat(law == G711Law.MuLaw ? 0 : 8, law, null), new RtpCounters(), TimeProvider.System)!;
    }

    /// <summary>A caller's and an agent's phone (loopback sockets) and their two legs, joined.</summary>
    private sealed class Bridge : IAsyncDisposable
    {
        public Bridge(G711Law callerLaw = G711Law.ALaw, G711Law agentLaw = G711Law.ALaw)
        {
            CallerLeg = Open(Caller.EndPoint, callerLaw);
            AgentLeg = Open(Agent.EndPoint, agentLaw);
            (ToAgent, _) = RtpSession.Join(CallerLeg, AgentLeg);
        }

        public Peer Caller { get; } = new();

        public Peer Agent { get; } = new();

        public RtpSession CallerLeg { get; }

        public RtpSession AgentLeg { get; }

        public LiveAudio ToAgent { get; }

        public async ValueTask DisposeAsync()
        {
            await CallerLeg.DisposeAsync();
            await AgentLeg.DisposeAsync();
            Caller.Dispose();
            Agent.Dispose();
        }
    }

    [Test]
    public async Task APacketTheCallerLegReceivesIsSentOnByTheAgentLegAtOnceWithItsOwnSsrcAndSequence()
    {
        await using var bridge = new Bridge();
        var (caller, agent, callerLeg, agentLeg) = (bridge.Caller, bridge.Agent, bridge.CallerLeg, bridge.AgentLeg);

        caller.Send(callerLeg, sequence: 100, timestamp: 8000, fill: 0x55);
        var first = agent.Receive(_wait);
        caller.Send(callerLeg, sequence: 101, timestamp: 8160, fill: 0x66);
        var second = agent.Receive(_wait);

        Assert.That(first, Is.Not.Null, "the agent's phone got nothing although no clock runs");
        var one = Parse(first);
        Assert.That(one.Ssrc, Is.EqualTo(agentLeg.Ssrc));
        Assert.That(one.PayloadType, Is.EqualTo(8));
        Assert.That(one.Marker, Is.True, "the first relayed packet starts a new run of timestamps");
        Assert.That(one.Payload, Has.All.EqualTo(0x55));

        var two = Parse(second);
        Assert.That(two.Marker, Is.False);
        Assert.That(two.Sequence, Is.EqualTo((ushort)(one.Sequence + 1)));
        Assert.That(two.Timestamp - one.Timestamp, Is.EqualTo(160u), "the sender's spacing is kept");
        Assert.That(two.Payload, Has.All.EqualTo(0x66));
    }

    [Test]
    public async Task AudioIsRelayedBothWays()
    {
        await using var bridge = new Bridge();
        var (caller, agent, callerLeg, agentLeg) = (bridge.Caller, bridge.Agent, bridge.CallerLeg, bridge.AgentLeg);

        agent.Send(agentLeg, sequence: 7, timestamp: 999, fill: 0x21);
        var heard = caller.Receive(_wait);

        var packet = Parse(heard);
        Assert.That(packet.Ssrc, Is.EqualTo(callerLeg.Ssrc));
        Assert.That(packet.Payload, Has.All.EqualTo(0x21));
    }

    [TestCase("hold", TestName = "OnHoldTheAgentLegSendsNothingAsItArrivesOnlyItsClocksFrames")]
    [TestCase("prompt", TestName = "WhileAPromptPlaysTheLegSendsThePromptNotThePeersAudio")]
    [TestCase("mix", TestName = "WithASupervisorMixedInTheLegSendsOnlyOnItsClock")]
    public async Task ALegThatPlaysSomethingElseLeavesSendingToItsClock(string what)
    {
        await using var bridge = new Bridge();
        var (caller, agent, callerLeg, agentLeg, toAgent) = (bridge.Caller, bridge.Agent, bridge.CallerLeg, bridge.AgentLeg, bridge.ToAgent);
        var prompt = new AudioClip("beep", Enumerable.Repeat((short)3000, 1600).ToArray());
        switch (what)
        {
            case "hold":
                agentLeg.Player.SetLive(null);
                break;
            case "prompt":
                agentLeg.Player.Play(1, [prompt]);
                break;
            default:
                agentLeg.SetMixIn(new LiveAudio(), recorded: false);
                break;
        }

        caller.Send(callerLeg, sequence: 1, timestamp: 0, fill: 0x55);
        Assert.That(agent.Receive(TimeSpan.FromMilliseconds(300)), Is.Null, "sent on at once although the leg plays something else");
        Assert.That(toAgent.SamplesIn, Is.EqualTo(160), "the audio still reaches the relay buffer");

        agentLeg.OnTick(1);
        var fromClock = Parse(agent.Receive(_wait));
        Assert.That(fromClock.Ssrc, Is.EqualTo(agentLeg.Ssrc));
        if (what == "prompt")
        {
            Assert.That(fromClock.Payload, Has.All.EqualTo(G711.FromLinear(3000, G711Law.ALaw)));
        }
    }

    [Test]
    public async Task BetweenLawsTheRelayTranscodesOnTheClockInstead()
    {
        await using var bridge = new Bridge(callerLaw: G711Law.MuLaw, agentLaw: G711Law.ALaw);
        var (caller, agent, callerLeg, agentLeg) = (bridge.Caller, bridge.Agent, bridge.CallerLeg, bridge.AgentLeg);
        var code = G711.FromLinear(4000, G711Law.MuLaw);

        caller.Send(callerLeg, sequence: 1, timestamp: 0, fill: code, payloadType: 0);
        caller.Send(callerLeg, sequence: 2, timestamp: 160, fill: code, payloadType: 0);
        Assert.That(agent.Receive(TimeSpan.FromMilliseconds(300)), Is.Null);

        await Task.Delay(100); // both packets in the buffer (its prefill is two frames)
        agentLeg.OnTick(1);
        var packet = Parse(agent.Receive(_wait));

        Assert.That(packet.PayloadType, Is.EqualTo(8));
        Assert.That(packet.Payload.Select(c => (int)G711.ToLinear(c, G711Law.ALaw)), Has.All.EqualTo(4000).Within(130));
    }

    [Test]
    public async Task TheRecordingTapSeesTheRelayedAudioOnTheClockWhichThenSendsNothing()
    {
        await using var bridge = new Bridge();
        var (caller, agent, callerLeg, agentLeg) = (bridge.Caller, bridge.Agent, bridge.CallerLeg, bridge.AgentLeg);
        var tap = new Capture();
        agentLeg.Tap = tap;

        caller.Send(callerLeg, sequence: 1, timestamp: 0, fill: 0x55);
        caller.Send(callerLeg, sequence: 2, timestamp: 160, fill: 0x55);
        Assert.That(agent.Receive(_wait), Is.Not.Null);
        Assert.That(agent.Receive(_wait), Is.Not.Null);
        agentLeg.OnTick(1);

        Assert.That(tap.Frames, Has.Count.EqualTo(1));
        Assert.That(tap.Frames[0], Has.All.EqualTo(0x55), "the tap hears what the agent heard");
        Assert.That(agent.Receive(TimeSpan.FromMilliseconds(200)), Is.Null, "the clock sent the frame a second time");
    }

    [Test]
    public async Task ManySessionsOnTheReceiveLoopAllGetTheirPacketsAndClosedOnesGetNone()
    {
        using var peer = new Peer();
        var sessions = new List<RtpSession>();
        for (var i = 0; i < 100; i++)
        {
            sessions.Add(Open(peer.EndPoint));
        }

        try
        {
            foreach (var session in sessions)
            {
                peer.Send(session, sequence: 1, timestamp: 0, fill: 0x55);
                peer.Send(session, sequence: 2, timestamp: 160, fill: 0x55);
            }

            var deadline = DateTime.UtcNow + _wait;
            while (sessions.Any(s => s.PacketsReceived < 2) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            Assert.That(sessions.Select(s => s.PacketsReceived), Has.All.EqualTo(2));
        }
        finally
        {
            foreach (var session in sessions)
            {
                await session.DisposeAsync();
            }
        }

        // Closed sessions leave the loop; a session opened after them receives as before.
        await using var again = Open(peer.EndPoint);
        peer.Send(again, sequence: 1, timestamp: 0, fill: 0x55);
        var until = DateTime.UtcNow + _wait;
        while (again.PacketsReceived == 0 && DateTime.UtcNow < until)
        {
            await Task.Delay(20);
        }

        Assert.That(again.PacketsReceived, Is.EqualTo(1));
    }

    [Test]
    public async Task AHandlerThatThrowsCostsOnlyItsOwnPacketAndTheLoopCarriesOn()
    {
        using var peer = new Peer();
        var first = FreePorts.InProcessBlock(10); // free now, not a fixed range (other test processes run beside)
        var ports = new RtpPortAllocator(new RtpOptions { PortMin = first, PortMax = first + 9 });
        await using var faulty = RtpSession.Open(ports, IPAddress.Loopback, peer.EndPoint, new RtpMediaFormat(8, G711Law.ALaw, 101), new RtpCounters(), TimeProvider.System)!;
        await using var other = Open(peer.EndPoint);
        faulty.Events = new Throwing();
        var failuresBefore = RtpReceiveLoop.Failures;

        peer.Send(faulty, sequence: 1, timestamp: 0, fill: 5, payloadType: 101, length: 4); // key 5: the handler throws
        peer.Send(other, sequence: 1, timestamp: 0, fill: 0x55);
        peer.Send(faulty, sequence: 2, timestamp: 160, fill: 0x55);
        var deadline = DateTime.UtcNow + _wait;
        while ((other.PacketsReceived < 1 || faulty.PacketsReceived < 2) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.That(faulty.DigitsDetected, Is.EqualTo(1));
        Assert.That(RtpReceiveLoop.Failures, Is.GreaterThan(failuresBefore));
        Assert.That((other.PacketsReceived, faulty.PacketsReceived), Is.EqualTo((1L, 2L)), "the loop stopped after the failure");
    }

    private sealed class Throwing : IRtpSessionEvents
    {
        public void OnDigit(RtpSession session, char digit) => throw new InvalidOperationException("a bug in a digit handler");

        public void OnPlaybackFinished(RtpSession session, long playbackId)
        {
        }
    }

    private sealed class Capture : IRtpFrameTap
    {
        public List<byte[]> Frames { get; } = [];

        public void OnFrame(RtpSession session, ReadOnlySpan<byte> payload) => Frames.Add(payload.ToArray());
    }
}
