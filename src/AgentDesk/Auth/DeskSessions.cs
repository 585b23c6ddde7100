using System.Security.Claims;
using System.Security.Cryptography;
using CallCenter.AgentDesk.Hubs;
using CallCenter.Data.Desk;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CallCenter.AgentDesk.Auth;

/// <summary>
/// The desk's sessions on the server. The cookie alone would stay good until it expires, whatever happened on the
/// server; here it names a row of desk_sessions, and each request checks that the row is still there, so sign-out and
/// a new password (which delete it) end the session at once, also for a copy of the cookie taken before.
/// </summary>
internal sealed class DeskSessions(DeskSessionRepository sessions, SessionConnections connections, DeskOptions options, TimeProvider time)
{
    // A session's last use is written at most this often: enough to clear abandoned rows, not a write per request.
    private static readonly TimeSpan _touchEvery = TimeSpan.FromMinutes(1);

    private TimeSpan Idle => TimeSpan.FromMinutes(options.SessionMinutes);

    /// <summary>A new session for the login; its id (256 random bits) goes into the cookie's claims.</summary>
    public async Task<string> StartAsync(string login, CancellationToken cancellationToken)
    {
        var id = Base64UrlId();
        var now = time.GetUtcNow();
        await sessions.CreateAsync(id, login, now, now - Idle, cancellationToken);
        return id;
    }

    /// <summary>Does the cookie's session still exist on the server, for this login?</summary>
    public async Task<bool> IsAliveAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (DeskClaims.SessionOf(user) is not { Length: > 0 } id)
        {
            return false;
        }

        var now = time.GetUtcNow();
        var login = await sessions.FindAsync(id, now, now - Idle, _touchEvery, cancellationToken);
        return login is not null && login == user.Identity?.Name;
    }

    /// <summary>Ends the cookie's session on the server (sign-out), and closes the hub connections it opened.</summary>
    public async Task<bool> EndAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (DeskClaims.SessionOf(user) is not { Length: > 0 } id)
        {
            return false;
        }

        var ended = await sessions.DeleteAsync(id, cancellationToken);
        connections.CloseSession(id);
        return ended;
    }

    /// <summary>The login's sessions were deleted with its new password or the login itself: close their hub connections too.</summary>
    public void EndedForLogin(string login) => connections.CloseLogin(login);

    /// <summary>The cookie handler's check on every request: a cookie whose session has ended is refused (401) and cleared.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        if (context.Principal is { } user && await services.GetRequiredService<DeskSessions>().IsAliveAsync(user, context.HttpContext.RequestAborted))
        {
            return;
        }

        services.GetRequiredService<DeskHealth>().EndedSessionRefused();
        AgentDeskLog.EndedSessionRefused(
            services.GetRequiredService<ILogger<DeskSessions>>(),
            context.Principal?.Identity?.Name,
            context.HttpContext.Connection.RemoteIpAddress?.ToString());
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(DeskClaims.SchemeName);
    }

    private static string Base64UrlId()
    {
        Span<byte> bytes = stackalloc byte[32];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
