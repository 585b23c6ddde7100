using CallCenter.Telephony.Media;
using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Hosting;

/// <summary>The HTTP surface of the host (design.md section 4). Each room adds its own endpoints here.</summary>
internal static class PlatformEndpoints
{
    public static void Map(WebApplication app)
    {
        // 200 once SIP, media and the database are ready; 503 before, while drained (POST /api/node/drain)
        // and, in a cluster, while Redis or the shared PostgreSQL is unreachable.
        // No sign-in (load balancers probe it).
        app.MapGet("/health", (PlatformReadiness readiness, ClusterOptions cluster, SipTransport transport, MediaClock clock, RtpPortAllocator ports, RtpCounters rtp, Calls.SipEndpoint endpoint, Calls.RelayTotals relay, Calls.BackgroundSends background, Calls.RegisterHandler register, TimeProvider time, AgentDesk.DeskHealth desk, [Microsoft.AspNetCore.Mvc.FromServices] Cluster.LeaderLease? lease) =>
        {
            var body = new
            {
                status = !readiness.IsReady ? "starting" : readiness.Draining ? "draining" : !readiness.SharedStateUp ? "redis-unreachable" : !readiness.StoreUp ? "database-unreachable" : readiness.NodeIdClash ? "duplicate-node-id" : "ready",
                nodeId = cluster.Node,
                draining = readiness.Draining,

                // Cluster:Enabled: whether Redis (backplane, shared wallboard) is reachable; without it, 503 and no new calls.
                // On PostgreSQL also the leader lease: which node holds it (null while none does) and whether this one does.
                cluster = new { enabled = cluster.Enabled, redis = cluster.Enabled ? readiness.SharedStateUp : (bool?)null, leader = lease?.Leader, leading = lease?.IsLeader },
                // Ready, and (a cluster on PostgreSQL) the shared database answers now.
                database = readiness.Database && readiness.StoreUp,
                media = new
                {
                    ready = readiness.Media,
                    rtpPortsInUse = ports.InUse,
                    rtpPortPairs = ports.Capacity,
                    clockTargets = clock.Targets,
                    clockTicks = clock.Ticks,
                    clockLatenessP50Ms = clock.LatenessPercentile(0.50).TotalMilliseconds,
                    clockLatenessP99Ms = clock.LatenessPercentile(0.99).TotalMilliseconds,
                    clockLatenessMaxMs = clock.MaxLateness.TotalMilliseconds,
                    clockTicksSkipped = clock.SkippedTicks,
                    clockTargetFailures = clock.TargetFailures,
                    clockThreadNice = clock.Nice,
                    rtpPacketsSent = rtp.Sent,
                    rtpPacketsReceived = rtp.Received,
                    rtpPacketsDropped = rtp.Dropped,
                    rtpPacketsRelayed = rtp.Relayed,
                    rtpSendFailures = rtp.SendFailed,
                    rtpHandlerFailures = Telephony.Rtp.RtpReceiveLoop.Failures,
                    digitsDetected = rtp.Digits,
                },
                rtp = new
                {
                    // Strict symmetric RTP: datagrams from neither the SDP's nor the learned source.
                    foreignPacketsDropped = rtp.ForeignDropped,
                    probationPacketsDropped = rtp.ProbationDropped,
                    sourcesLearned = rtp.SourcesLearned,

                    // SRTP (SDES over SIP over TLS): sessions opened with keys, packets refused as not authentic or replayed.
                    secureSessions = rtp.SecureSessions,
                    srtpPacketsRefused = rtp.SrtpRefused,

                    // WebRTC (the browser phone): sessions opened, DTLS-SRTP handshakes done and failed, legs ended for failing SRTP.
                    webRtcSessions = rtp.WebRtcSessions,
                    dtlsHandshakesCompleted = rtp.DtlsHandshakesCompleted,
                    dtlsHandshakesFailed = rtp.DtlsHandshakesFailed,
                    webRtcSrtpFailures = rtp.WebRtcSrtpFailures,
                },
                calls = new
                {
                    active = endpoint.ActiveCalls,
                    eventsRefused = endpoint.EventsRefused,
                    eventFailures = endpoint.EventFailures,
                    backgroundSendsRunning = background.Running,
                    backgroundSendFailures = background.Failures,

                    // Calls from outside Sip:TrustedPeers: their caller id was not believed (issue 12).
                    untrustedCallerIds = endpoint.UntrustedCallerIds,
                    refusedPerSourceInProgress = endpoint.RefusedPerSource.InProgress,
                    refusedPerSourceAttempts = endpoint.RefusedPerSource.Attempts,
                },
                relay = new
                {
                    bridgedCallsEnded = relay.Bridges,
                    samplesIn = relay.SamplesIn,
                    samplesOut = relay.SamplesOut,
                    samplesDropped = relay.SamplesDropped,
                    samplesCut = relay.SamplesCut,
                    underruns = relay.Underruns,
                },
                process = new { allocatedBytes = GC.GetTotalAllocatedBytes(precise: false), gen0Collections = GC.CollectionCount(0), gen2Collections = GC.CollectionCount(2) },
                sip = new
                {
                    ready = readiness.Sip,
                    udp = transport.UdpEndPoint?.ToString(),
                    tcp = transport.TcpEndPoint?.ToString(),
                    received = transport.Counters.Received,
                    rejected = transport.Counters.Rejected,
                    dropped = transport.Counters.Dropped,
                    sent = transport.Counters.Sent,
                    tcpConnections = transport.OpenTcpConnections,
                    tcpRefusedPerSource = transport.Counters.TcpRefusedPerSource,
                    tcpTimedOut = transport.Counters.TcpTimedOut,
                    tlsHandshakeFailures = transport.Counters.TlsHandshakeFailures,
                    webSocketConnections = transport.OpenWebSocketConnections,
                    webSocketRequestsRefused = transport.Counters.WebSocketRefused,
                    webSocketsClosedForGarbage = transport.Counters.WebSocketClosedForGarbage,

                    // Digest guessing (issue 12): wrong passwords, bans given, sources banned now, REGISTERs dropped unanswered.
                    authFailures = register.Limiter.Failures,
                    bansIssued = register.Limiter.Bans,
                    bannedSources = register.Limiter.BannedSources(time.GetUtcNow()),
                    requestsDroppedBanned = register.DroppedBanned,
                },
                desk = desk.Snapshot(),
            };
            return Results.Json(body, statusCode: readiness.AcceptsCalls ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
    }
}
