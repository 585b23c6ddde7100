using CallCenter.AgentDesk.Auth;
using CallCenter.AgentDesk.Endpoints;
using CallCenter.Data.Catalog;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CallCenter.AgentDesk;

/// <summary>The agent desk room's services and endpoints: desk sign-in under /desk/ and the REST API under /api/.</summary>
public static class AgentDeskSetup
{
    public const string ApiPolicy = "api";

    /// <summary>Any signed-in desk user (agent, supervisor or admin).</summary>
    public const string DeskPolicy = "desk";

    /// <summary>Registers the desk; <see cref="DeskOptions"/> come from the container when registered there, else defaults.</summary>
    public static IServiceCollection AddAgentDesk(this IServiceCollection services, ApiOptions api)
    {
        services.AddSingleton(api);
        services.TryAddSingleton(new DeskOptions());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DeskUserRepository>();
        services.AddSingleton<DeskSignIn>();
        AdminEndpoints.AddServices(services);

        // The desk cookie is the default scheme, so the desk's pages (and their anti-forgery tokens) see the signed-in user;
        // the API names both of its schemes in its policy.
        services.AddAuthentication(DeskClaims.SchemeName)
            .AddCookie(DeskClaims.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddOptions<CookieAuthenticationOptions>(DeskClaims.SchemeName).Configure<DeskOptions, TimeProvider>(ConfigureCookie);
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = ".CallCenter.Antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.HttpOnly = true;
            options.HeaderName = AdminEndpoints.AntiforgeryHeader;
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicy, policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName, DeskClaims.SchemeName)
                .RequireRole("api", "supervisor", "admin"))
            .AddPolicy(DeskPolicy, policy => policy
                .AddAuthenticationSchemes(DeskClaims.SchemeName)
                .RequireRole("agent", "supervisor", "admin"));
        return services;
    }

    public static void MapAgentDesk(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.UseAuthorization();
        DeskEndpoints.Map(app);
        AdminEndpoints.Map(app);
        var api = app.MapGroup("/api").RequireAuthorization(ApiPolicy);
        CallsEndpoints.Map(api);
        CallControlEndpoints.Map(api);
        AgentsEndpoints.Map(api);
        QueuesEndpoints.Map(api);
        MetricsEndpoints.Map(api);
        ClientsEndpoints.Map(api);
    }

    private static void ConfigureCookie(CookieAuthenticationOptions options, DeskOptions desk, TimeProvider time)
    {
        options.TimeProvider = time;
        options.Cookie.Name = ".CallCenter.Desk";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.ExpireTimeSpan = TimeSpan.FromMinutes(desk.SessionMinutes);
        options.SlidingExpiration = true;
        options.LoginPath = "/desk/signin";

        // API and desk calls are answered with a status, not a redirect to the sign-in page.
        options.Events.OnRedirectToLogin = context =>
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        };
        options.Events.OnRedirectToAccessDenied = context =>
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        };
    }
}
