using System.Security.Claims;
using CallCenter.Data.Catalog;

namespace CallCenter.AgentDesk.Auth;

/// <summary>The claims of a desk session: login (name), role, session id, and the agent's extension when there is one.</summary>
public static class DeskClaims
{
    public const string SchemeName = "Desk";

    public const string Agent = "callcenter:agent";

    /// <summary>The server-side session (desk_sessions) the cookie stands for; a cookie without a live one is refused.</summary>
    public const string Session = "callcenter:session";

    public static ClaimsPrincipal Principal(DeskUserRecord user, string sessionId)
    {
        ArgumentNullException.ThrowIfNull(user);
        var claims = new List<Claim> { new(ClaimTypes.Name, user.Login), new(ClaimTypes.Role, user.Role), new(Session, sessionId) };
        if (user.AgentExtension is { } extension)
        {
            claims.Add(new Claim(Agent, extension));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role));
    }

    public static string? AgentOf(ClaimsPrincipal user) => user?.FindFirst(Agent)?.Value;

    public static string? SessionOf(ClaimsPrincipal user) => user?.FindFirst(Session)?.Value;
}
