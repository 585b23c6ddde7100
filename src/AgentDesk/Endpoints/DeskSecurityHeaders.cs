using Microsoft.AspNetCore.Http;

namespace CallCenter.AgentDesk.Endpoints;

/// <summary>The headers every desk page sends, the sign-in form included: nothing cached, nothing sniffed, framed or referred.</summary>
internal static class DeskSecurityHeaders
{
    /// <summary>One year, as browsers' preload lists ask (RFC 6797 6.1.1); sent only over HTTPS (RFC 6797 7.2).</summary>
    public const string StrictTransportSecurity = "max-age=31536000";

    public static void Apply(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var headers = context.Response.Headers;
        headers.CacheControl = "no-store, no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = DeskPages.ContentSecurityPolicy(context.Request);
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
    }

    /// <summary>Middleware: over HTTPS, every answer tells the browser to use nothing else for this host (HSTS).</summary>
    public static Task HstsAsync(HttpContext context, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.Request.IsHttps)
        {
            context.Response.Headers.StrictTransportSecurity = StrictTransportSecurity;
        }

        return next();
    }
}
