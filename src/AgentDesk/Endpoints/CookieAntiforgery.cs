using CallCenter.AgentDesk.Admin;
using CallCenter.AgentDesk.Hubs;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CallCenter.AgentDesk.Endpoints;

/// <summary>
/// The endpoint filter of every API group a desk cookie may reach: a request that changes something (anything but
/// GET and HEAD) on the strength of the cookie must carry the anti-forgery token of GET /desk/antiforgery in
/// <see cref="AdminEndpoints.AntiforgeryHeader"/>, else 400, logged, audited and counted. The browser sends the cookie
/// by itself, so without the token another site's page could make a signed-in supervisor's browser hold a call.
/// API-key requests need none: a key is not sent by a browser on its own.
/// </summary>
internal static class CookieAntiforgery
{
    public static async ValueTask<object?> RequireForCookieWritesAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var actor = AdminActor.Of(context.User);
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || actor.ByApiKey)
        {
            return await next(invocation);
        }

        var services = context.RequestServices;
        if (await services.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context))
        {
            return await next(invocation);
        }

        var logger = services.GetRequiredService<ILogger<AdminAudit>>();
        AgentDeskLog.AdminAntiforgeryRejected(logger, context.Request.Method, context.Request.Path, actor.Name, context.Connection.RemoteIpAddress?.ToString());
        services.GetRequiredService<DeskHealth>().AntiforgeryRefused();
        await services.GetRequiredService<DeskAudit>().RefusedAsync(
            context.User, "desk.request", $"{context.Request.Method} {context.Request.Path}", "anti-forgery token missing or invalid");
        return Results.Problem(
            AdminEndpoints.AntiforgeryRefused,
            statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?> { ["field"] = AdminEndpoints.AntiforgeryHeader });
    }
}
