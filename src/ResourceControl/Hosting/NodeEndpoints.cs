using System.Security.Claims;

namespace CallCenter.ResourceControl.Hosting;

/// <summary>
/// This node's place behind a SIP proxy, under /api (an API key or a signed-in admin; a supervisor may
/// look but not drain): <c>GET /api/node</c>, <c>POST /api/node/drain</c> (new calls are refused with
/// 503 and OPTIONS answers 503, so the proxy sends calls elsewhere; live calls finish) and
/// <c>POST /api/node/resume</c>.
/// </summary>
internal static partial class NodeEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/node", (PlatformReadiness readiness, ClusterOptions cluster, Calls.SipEndpoint endpoint) => Results.Json(ToJson(readiness, cluster, endpoint)));

        var operate = api.MapGroup("/node").RequireAuthorization(policy => policy.RequireRole("api", "admin"));
        operate.MapPost("/drain", (PlatformReadiness readiness, ClusterOptions cluster, Calls.SipEndpoint endpoint, ClaimsPrincipal user, ILoggerFactory logs) =>
        {
            if (!readiness.Draining)
            {
                readiness.Draining = true;
                LogDraining(logs.CreateLogger(typeof(NodeEndpoints)), cluster.Node, Who(user), endpoint.ActiveCalls);
            }

            return Results.Json(ToJson(readiness, cluster, endpoint));
        });
        operate.MapPost("/resume", (PlatformReadiness readiness, ClusterOptions cluster, Calls.SipEndpoint endpoint, ClaimsPrincipal user, ILoggerFactory logs) =>
        {
            if (readiness.Draining)
            {
                readiness.Draining = false;
                LogResumed(logs.CreateLogger(typeof(NodeEndpoints)), cluster.Node, Who(user));
            }

            return Results.Json(ToJson(readiness, cluster, endpoint));
        });
    }

    private static object ToJson(PlatformReadiness readiness, ClusterOptions cluster, Calls.SipEndpoint endpoint) => new
    {
        nodeId = cluster.Node,
        ready = readiness.IsReady,
        draining = readiness.Draining,
        acceptsCalls = readiness.AcceptsCalls,
        activeCalls = endpoint.ActiveCalls,
    };

    private static string Who(ClaimsPrincipal user) => user.Identity?.Name ?? "(unknown)";

    [LoggerMessage(1200, LogLevel.Warning, "Node {NodeId} draining, asked by {User}: new calls are refused with 503 and OPTIONS answers 503; {ActiveCalls} live calls go on")]
    private static partial void LogDraining(ILogger logger, string nodeId, string user, int activeCalls);

    [LoggerMessage(1201, LogLevel.Warning, "Node {NodeId} resumed, asked by {User}: it takes new calls again")]
    private static partial void LogResumed(ILogger logger, string nodeId, string user);
}
