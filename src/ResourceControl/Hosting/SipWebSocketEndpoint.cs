using System.Net;
using CallCenter.AgentDesk;
using CallCenter.AgentDesk.Auth;
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

    public static void Map(WebApplication app)
    {
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.Map(Path, HandleAsync).RequireAuthorization(AgentDeskSetup.AgentHubPolicy);
    }

    private static async Task HandleAsync(HttpContext context, SipTransport transport, ILogger<SipTransport> logger)
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

        if (!transport.CanAcceptWebSocket(remote))
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(SubProtocol);
        var local = new IPEndPoint(context.Connection.LocalIpAddress ?? IPAddress.Loopback, context.Connection.LocalPort);
        await transport.RunWebSocketAsync(socket, new IPEndPoint(remote, context.Connection.RemotePort), local, agent, context.RequestAborted);
    }

    [LoggerMessage(7010, LogLevel.Warning, "SIP WebSocket refused: Origin {Origin} is not {Own}")]
    private static partial void LogForeignOrigin(ILogger logger, string origin, string own);
}
