using System.Net;
using CallCenter.AgentDesk;
using CallCenter.AgentDesk.Auth;
using CallCenter.Telephony.Sip.Registrar;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Hosting;

/// <summary>
/// SIP over WebSocket (RFC 7118) at <c>/sip</c> on the platform's HTTP port, for the desk's phone in
/// the browser. Only a signed-in agent's desk may open it (the desk cookie, and the page's own origin:
/// a cookie goes along from any site, so a foreign Origin is refused as for the hubs), and the
/// connection is that agent's: SIP digest still authenticates each REGISTER, and the transport refuses
/// a REGISTER for another extension (<see cref="SipTransport.RunWebSocketAsync"/>).
/// </summary>
internal static partial class SipWebSocketEndpoint
{
    public const string Path = "/sip";

    /// <summary>RFC 7118 3: the WebSocket subprotocol of SIP.</summary>
    public const string SubProtocol = "sip";

    /// <summary>How long a browser whose connection dropped (not signed out) has to reconnect and register again before its binding goes.</summary>
    public static readonly TimeSpan ReconnectGrace = TimeSpan.FromSeconds(30);

    public static void Map(WebApplication app)
    {
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.Map(Path, HandleAsync).RequireAuthorization(AgentDeskSetup.AgentHubPolicy);
    }

    private static async Task HandleAsync(
        HttpContext context,
        SipTransport transport,
        SipRegistrar registrar,
        AgentDesk.Hubs.SessionConnections sessions,
        IHostApplicationLifetime lifetime,
        TimeProvider time,
        ILogger<SipTransport> logger)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("SIP over WebSocket only (RFC 7118).", context.RequestAborted);
            return;
        }

        if (!context.WebSockets.WebSocketRequestedProtocols.Contains(SubProtocol, StringComparer.OrdinalIgnoreCase))
        {
            // RFC 7118 3: a client that did not ask for "sip" is not speaking SIP.
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var own = context.Request.Scheme + "://" + context.Request.Host.Value;
        foreach (var origin in context.Request.Headers.Origin)
        {
            if (!string.Equals(origin, own, StringComparison.OrdinalIgnoreCase))
            {
                LogForeignOrigin(logger, origin ?? "", own);
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }
        }

        var agent = DeskClaims.AgentOf(context.User);
        var remote = context.Connection.RemoteIpAddress;
        if (agent is null || remote is null)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        // Refused before the session's look-up too, so a flood of upgrades costs no database round trips.
        if (!transport.CanAcceptWebSocket(remote))
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        // The desk session that opened it ends it: sign-out, or a new password, closes the phone too. Kept before the
        // connection is accepted, so a sign-out that lands while it opens is seen here and answered 401.
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var sessionEnded = 0;
        void EndSession()
        {
            Volatile.Write(ref sessionEnded, 1);
            try
            {
                ended.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The connection had just closed by itself.
            }
        }

        using var tracked = await sessions.TrackAsync(context.User, EndSession, context.RequestAborted);
        if (tracked is null || Volatile.Read(ref sessionEnded) == 1)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        // And again nearest the accept, as the look-up took a while.
        if (!transport.CanAcceptWebSocket(remote))
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(SubProtocol);
        var local = new IPEndPoint(context.Connection.LocalIpAddress ?? IPAddress.Loopback, context.Connection.LocalPort);
        await transport.RunWebSocketAsync(
            socket,
            new IPEndPoint(remote, context.Connection.RemotePort),
            local,
            agent,
            closed => ForgetBindingsAsync(registrar, agent, closed, Volatile.Read(ref sessionEnded) == 1, time, lifetime.ApplicationStopping, logger),
            ended.Token);
    }

    /// <summary>
    /// A closed connection cannot be reached again (RFC 7118 5), so what the browser registered over it
    /// goes, and the agent is not offered calls that can only fail until the binding expires. After a
    /// sign-out at once; after any other close (Wi-Fi roaming, a laptop waking, a proxy's idle timeout)
    /// after <see cref="ReconnectGrace"/>, in which a browser that reconnects and registers again moves
    /// its binding to the new connection and keeps it, so a blip does not take the agent off the queue.
    /// </summary>
    private static async Task ForgetBindingsAsync(SipRegistrar registrar, string agent, SipRemote closed, bool signedOut, TimeProvider time, CancellationToken stopping, ILogger logger)
    {
        try
        {
            if (!signedOut)
            {
                await Task.Delay(ReconnectGrace, time, stopping);
            }

            var removed = await registrar.RemoveConnectionBindingsAsync(agent, closed, time.GetUtcNow());
            LogBindingsForgotten(logger, agent, closed.ToString(), removed);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: the binding stays until it expires, as for any phone.
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
        {
            // The database is away: the binding stays until it expires (the registrar ignores it then).
            LogForgetFailed(logger, agent, closed.ToString(), e.Message);
        }
    }

    [LoggerMessage(7010, LogLevel.Warning, "SIP WebSocket refused: Origin {Origin} is not {Own}")]
    private static partial void LogForeignOrigin(ILogger logger, string origin, string own);

    [LoggerMessage(7011, LogLevel.Information, "SIP WebSocket of {Agent} from {Remote} closed: {Count} binding(s) made over it removed")]
    private static partial void LogBindingsForgotten(ILogger logger, string agent, string remote, int count);

    [LoggerMessage(7012, LogLevel.Warning, "SIP WebSocket of {Agent} from {Remote} closed, but its bindings could not be removed ({Error}): they stay until they expire")]
    private static partial void LogForgetFailed(ILogger logger, string agent, string remote, string error);
}
