using System.Globalization;
using System.Security.Claims;
using CallCenter.AgentDesk.Auth;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace CallCenter.AgentDesk.Endpoints;

/// <summary>The desk's sign-in: GET/POST /desk/signin, POST /desk/signout, GET /desk/me.</summary>
internal static class DeskEndpoints
{
    public const string WrongCredentials = "账号或密码错误 · Wrong login or password.";
    public const string LockedMessage = "该账号在此地址因多次登录失败已被暂时锁定，请稍后再试 · This login is locked at this address after repeated failed sign-ins; try again later.";
    public const string TooManyFailures = "此地址登录失败次数过多，请稍后再试 · Too many failed sign-ins from this address; try again later.";
    public const string FormExpired = "表单已失效，请重新打开登录页 · The form has expired or was not sent from this site; open the sign-in page again.";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/desk/signin", (HttpContext context, IAntiforgery antiforgery) =>
            Page(context, antiforgery, StatusCodes.Status200OK, null, null));

        app.MapPost("/desk/signin", async (HttpContext context, IAntiforgery antiforgery, DeskSignIn signIn, ILogger<DeskSignIn> logger) =>
        {
            if (await RefusedFormAsync(context, antiforgery, logger) is { } refused)
            {
                return refused;
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var login = form["login"].ToString();
            var result = await signIn.SignInAsync(login, form["password"].ToString(), context.Connection.RemoteIpAddress, context.RequestAborted);
            if (result.RetryAfter > TimeSpan.Zero)
            {
                // RFC 6585 4 and RFC 9110 10.2.3: when to come back, in whole seconds (rounded up).
                context.Response.Headers.RetryAfter = ((long)Math.Ceiling(result.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            switch (result.Outcome)
            {
                case DeskSignInOutcome.SignedIn:
                    await context.SignInAsync(DeskClaims.SchemeName, result.Principal!);
                    return Results.Redirect(HomeOf(result.Principal!.FindFirstValue(ClaimTypes.Role)), permanent: false, preserveMethod: false);
                case DeskSignInOutcome.SourceBanned:
                    return Page(context, antiforgery, StatusCodes.Status429TooManyRequests, TooManyFailures, login);
                case DeskSignInOutcome.Locked:
                    return Page(context, antiforgery, StatusCodes.Status423Locked, LockedMessage, login);
                default:
                    return Page(context, antiforgery, StatusCodes.Status401Unauthorized, WrongCredentials, login);
            }
        });

        app.MapPost("/desk/signout", async (HttpContext context, IAntiforgery antiforgery, DeskSessions sessions, DeskHealth health, ILogger<DeskSignIn> logger) =>
        {
            if (await RefusedFormAsync(context, antiforgery, logger) is { } refused)
            {
                return refused;
            }

            // The session ends on the server, not only in this browser: a copy of the cookie is refused from now on.
            if (await sessions.EndAsync(context.User, context.RequestAborted))
            {
                health.SessionSignedOut();
            }

            AgentDeskLog.SignedOut(logger, context.User.Identity?.Name, RemoteAddress(context));
            await context.SignOutAsync(DeskClaims.SchemeName);
            return Results.Redirect("/desk/signin");
        });

        app.MapGet("/desk/me", (ClaimsPrincipal user) => Results.Json(new
        {
            login = user.Identity!.Name,
            role = user.FindFirstValue(ClaimTypes.Role),
            agent = DeskClaims.AgentOf(user),
        })).RequireAuthorization(AgentDeskSetup.DeskPolicy);
    }

    /// <summary>Where a role starts after sign-in (src/AgentDesk/Hubs/README.md, pages).</summary>
    public static string HomeOf(string? role) => role switch
    {
        "agent" => "/desk/",
        "supervisor" => "/desk/wallboard",
        "admin" => "/desk/admin",
        _ => "/desk/me",
    };

    /// <summary>A 400 page when the form lacks a valid anti-forgery token (or is not a form at all); null when it is fine.</summary>
    private static async Task<IResult?> RefusedFormAsync(HttpContext context, IAntiforgery antiforgery, ILogger logger)
    {
        try
        {
            if (context.Request.HasFormContentType)
            {
                await antiforgery.ValidateRequestAsync(context);
                return null;
            }
        }
        catch (AntiforgeryValidationException)
        {
        }

        AgentDeskLog.AntiforgeryRejected(logger, RemoteAddress(context));
        return Page(context, antiforgery, StatusCodes.Status400BadRequest, FormExpired, null);
    }

    private static IResult Page(HttpContext context, IAntiforgery antiforgery, int status, string? message, string? login)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var signedInAs = context.User.Identity is { IsAuthenticated: true, AuthenticationType: DeskClaims.SchemeName } identity ? identity.Name : null;
        DeskSecurityHeaders.Apply(context);
        return Results.Content(DeskSignInPage.Render(tokens, signedInAs, message, login), "text/html; charset=utf-8", statusCode: status);
    }

    private static string? RemoteAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString();
}
