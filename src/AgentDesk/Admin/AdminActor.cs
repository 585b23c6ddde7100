using System.Security.Claims;
using CallCenter.AgentDesk.Auth;

namespace CallCenter.AgentDesk.Admin;

/// <summary>Who makes an admin request: a desk login with its role, or an API key ("api-key").</summary>
internal sealed record AdminActor(string Name, string Role, bool ByApiKey)
{
    public static AdminActor Of(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);

        // A request may carry both; the API key wins, since it is what needs no anti-forgery token.
        if (user.Identities.Any(i => i.IsAuthenticated && i.AuthenticationType == ApiKeyAuthenticationHandler.SchemeName))
        {
            return new AdminActor("api-key", "api", ByApiKey: true);
        }

        var desk = user.Identities.FirstOrDefault(i => i.IsAuthenticated && i.AuthenticationType == DeskClaims.SchemeName);
        return new AdminActor(desk?.Name ?? "unknown", desk?.FindFirst(ClaimTypes.Role)?.Value ?? "unknown", ByApiKey: false);
    }
}
