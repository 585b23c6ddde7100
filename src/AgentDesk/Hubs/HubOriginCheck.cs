using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CallCenter.AgentDesk.Hubs;

/// <summary>
/// Cross-site WebSocket hijacking guard: browsers send the page's Origin on negotiate and on the
/// WebSocket upgrade, and cookies go along whatever the origin, so a hub request whose Origin is not
/// the platform's own scheme and host is answered 403. Requests without an Origin (not from a browser page) pass.
/// </summary>
internal static class HubOriginCheck
{
    public const string PathPrefix = "/hubs";

    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.StartsWithSegments(PathPrefix, StringComparison.OrdinalIgnoreCase)
            && context.Request.Headers.Origin is { Count: > 0 } origins)
        {
            var own = context.Request.Scheme + "://" + context.Request.Host.Value;
            foreach (var origin in origins)
            {
                if (!string.Equals(origin, own, StringComparison.OrdinalIgnoreCase))
                {
                    var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HubOriginCheck));
                    HubLog.ForeignOrigin(logger, context.Request.Path, origin ?? "", own);
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return;
                }
            }
        }

        await next(context);
    }
}
