using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using CallCenter.AgentDesk.Auth;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace CallCenter.AgentDesk.Endpoints;

/// <summary>
/// The browser desk's pages: <c>/desk/</c> (agent), <c>/desk/wallboard</c> (supervisor, admin), <c>/desk/admin</c>
/// (admin), <c>/desk/broadcasts</c>, <c>/desk/recordings</c> and <c>/desk/faxes</c> (supervisor, admin), <c>/desk/announcements</c> (admin, as the API's writes), and their scripts and style under <c>/desk/assets/</c>. The files are the npm build's (ClientApp),
/// copied next to the binary under wwwroot/desk/ by the build.
/// </summary>
internal static class DeskPages
{
    public const string NotBuilt = "坐席前端未构建 · The desk front-end was not built (dotnet build runs npm in src/AgentDesk/ClientApp).";

    private static readonly string[] _agent = ["agent"];
    private static readonly string[] _supervisor = ["supervisor", "admin"];
    private static readonly string[] _admin = ["admin"];

    /// <summary>Where the build puts the bundle: wwwroot/desk/ next to the binary, whatever the working directory.</summary>
    public static string BundleDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "wwwroot", "desk");

    public static void Map(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DeskPages));
        var assets = Path.Combine(BundleDirectory, "assets");
        if (Directory.Exists(assets))
        {
            app.UseStaticFiles(new StaticFileOptions
            {
                RequestPath = "/desk/assets",
                FileProvider = new PhysicalFileProvider(assets),
                OnPrepareResponse = context =>
                {
                    // The names carry no hash: the browser asks again (ETag) rather than keep an old bundle.
                    context.Context.Response.Headers.CacheControl = "no-cache";
                    context.Context.Response.Headers.XContentTypeOptions = "nosniff";
                },
            });
        }
        else
        {
            AgentDeskLog.DeskBundleMissing(logger, BundleDirectory);
        }

        // A person who types the bare address lands on the sign-in page.
        app.MapGet("/", () => Results.Redirect("/desk/signin"));
        app.MapGet("/favicon.ico", () =>
        {
            var icon = Path.Combine(BundleDirectory, "favicon.ico");
            return File.Exists(icon) ? Results.File(icon, "image/x-icon") : Results.NotFound();
        });
        app.MapGet("/desk/", (HttpContext context, IAntiforgery antiforgery) => PageAsync(context, antiforgery, "desk.html", _agent));
        app.MapGet("/desk/wallboard", (HttpContext context, IAntiforgery antiforgery) => PageAsync(context, antiforgery, "wallboard.html", _supervisor));
        app.MapGet("/desk/admin", (HttpContext context, IAntiforgery antiforgery) => PageAsync(context, antiforgery, "admin.html", _admin));
        app.MapGet("/desk/broadcasts", (HttpContext context, IAntiforgery antiforgery) => PageAsync(context, antiforgery, "broadcasts.html", _supervisor));
        app.MapGet("/desk/recordings", (HttpContext context, IAntiforgery antiforgery) => PageAsync(context, antiforgery, "recordings.html", _supervisor));
        app.MapGet("/desk/faxes", (HttpContext context, IAntiforgery antiforgery) => PageAsync(context, antiforgery, "faxes.html", _supervisor));
        app.MapGet("/desk/announcements", (HttpContext context, IAntiforgery antiforgery) => PageAsync(context, antiforgery, "announcements.html", _admin));
    }

    /// <summary>
    /// A page for a signed-in user of one of the roles: sign-in first (a redirect, since a person is at the browser),
    /// 403 for another role. The session's login, role, agent and anti-forgery token go into meta tags for the scripts.
    /// </summary>
    private static async Task<IResult> PageAsync(HttpContext context, IAntiforgery antiforgery, string file, string[] roles)
    {
        DeskSecurityHeaders.Apply(context);
        var user = context.User;
        if (user.Identity is not { IsAuthenticated: true, AuthenticationType: DeskClaims.SchemeName })
        {
            return Results.Redirect("/desk/signin");
        }

        if (!roles.Any(user.IsInRole))
        {
            return Results.Content(Forbidden(user), "text/html; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);
        }

        var path = Path.Combine(BundleDirectory, file);
        if (!File.Exists(path))
        {
            return Results.Content(NotBuilt, "text/plain; charset=utf-8", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var html = await File.ReadAllTextAsync(path, context.RequestAborted);
        var tokens = antiforgery.GetAndStoreTokens(context);
        var meta = new StringBuilder();
        Meta(meta, "desk-login", user.Identity.Name);
        Meta(meta, "desk-role", user.FindFirstValue(ClaimTypes.Role));
        Meta(meta, "desk-agent", DeskClaims.AgentOf(user));
        Meta(meta, "desk-antiforgery-field", tokens.FormFieldName);
        Meta(meta, "desk-antiforgery", tokens.RequestToken);
        var at = html.IndexOf("</head>", StringComparison.OrdinalIgnoreCase);
        html = at < 0 ? meta.ToString() + html : html.Insert(at, meta.ToString());
        return Results.Content(html, "text/html; charset=utf-8");
    }

    /// <summary>
    /// Scripts, styles and connections from this origin only; the hubs' WebSockets are named with the page's own
    /// host, because not every browser counts ws: as 'self'.
    /// </summary>
    internal static string ContentSecurityPolicy(HttpRequest request)
    {
        var host = request.Host.HasValue ? request.Host.ToUriComponent() : null;
        var sockets = host is null ? "" : $" ws://{host} wss://{host}";
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'" + sockets
            + "; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    private static void Meta(StringBuilder meta, string name, string? content) =>
        meta.Append("<meta name=\"").Append(name).Append("\" content=\"").Append(HtmlEncoder.Default.Encode(content ?? "")).Append("\">\n");

    private static string Forbidden(ClaimsPrincipal user)
    {
        var html = HtmlEncoder.Default;
        var home = user.IsInRole("admin") ? "/desk/admin" : user.IsInRole("supervisor") ? "/desk/wallboard" : "/desk/";
        return $"""
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8"><title>无权访问 · Forbidden</title><link rel="stylesheet" href="/desk/assets/style.css"></head>
            <body><main><section class="panel">
            <h2>无权访问此页面 · You may not open this page</h2>
            <p>{html.Encode(user.Identity?.Name ?? "")} ({html.Encode(user.FindFirstValue(ClaimTypes.Role) ?? "")})</p>
            <p><a href="{home}">返回我的页面 · Back to my page</a> · <a href="/desk/signin">登录页 · Sign-in page</a></p>
            </section></main></body></html>
            """;
    }
}
