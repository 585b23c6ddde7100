using CallCenter.AgentDesk.Auth;
using CallCenter.AgentDesk.Endpoints;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CallCenter.AgentDesk;

/// <summary>The agent desk room's services and endpoints: the REST API under /api/ (the web desk comes with its issue).</summary>
public static class AgentDeskSetup
{
    public const string ApiPolicy = "api";

    public static IServiceCollection AddAgentDesk(this IServiceCollection services, ApiOptions api)
    {
        services.AddSingleton(api);
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicy, policy => policy.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireRole("api", "supervisor", "admin"));
        return services;
    }

    public static void MapAgentDesk(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.UseAuthorization();
        var api = app.MapGroup("/api").RequireAuthorization(ApiPolicy);
        CallsEndpoints.Map(api);
        CallControlEndpoints.Map(api);
        AgentsEndpoints.Map(api);
        QueuesEndpoints.Map(api);
        MetricsEndpoints.Map(api);
        ClientsEndpoints.Map(api);
    }
}
