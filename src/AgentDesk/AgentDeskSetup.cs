using CallCenter.AgentDesk.Auth;
using CallCenter.AgentDesk.Endpoints;
using CallCenter.AgentDesk.Hubs;
using CallCenter.Contracts.Desk;
using CallCenter.Data.Catalog;
using CallCenter.Data.Desk;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CallCenter.AgentDesk;

/// <summary>The agent desk room's services and endpoints: desk sign-in under /desk/ and the REST API under /api/.</summary>
public static class AgentDeskSetup
{
    public const string ApiPolicy = "api";

    /// <summary>Any signed-in desk user (agent, supervisor or admin).</summary>
    public const string DeskPolicy = "desk";

    /// <summary>The agent hub: an agent's desk cookie, never the API key.</summary>
    public const string AgentHubPolicy = "agent-hub";

    /// <summary>The wallboard hub: a supervisor's or admin's desk cookie, never the API key.</summary>
    public const string WallboardHubPolicy = "wallboard-hub";

    /// <summary>Registers the desk; <see cref="DeskOptions"/> come from the container when registered there, else defaults.</summary>
    public static IServiceCollection AddAgentDesk(this IServiceCollection services, ApiOptions api)
    {
        services.AddSingleton(api);
        services.TryAddSingleton(new DeskOptions());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DeskUserRepository>();
        services.AddSingleton(s => new SignInGuard(SignInLimits.From(s.GetRequiredService<DeskOptions>())));
        services.TryAddSingleton<DeskSessionRepository>();
        services.AddSingleton<DeskSessions>();
        services.AddSingleton<DeskSignIn>();
        services.AddSingleton(s => new DeskHealth(s.GetRequiredService<SignInGuard>(), s.GetRequiredService<TimeProvider>()));
        AddHubs(services);
        AdminEndpoints.AddServices(services);
        services.TryAddSingleton<Data.Calls.RecordingRepository>();
        services.TryAddSingleton(new Recordings.RecordingFiles("recordings"));
        services.AddSingleton<Recordings.RecordingLibrary>();

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
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.HeaderName = AdminEndpoints.AntiforgeryHeader;
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicy, policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName, DeskClaims.SchemeName)
                .RequireRole("api", "supervisor", "admin"))
            .AddPolicy(DeskPolicy, policy => policy
                .AddAuthenticationSchemes(DeskClaims.SchemeName)
                .RequireRole("agent", "supervisor", "admin"))
            .AddPolicy(AgentHubPolicy, policy => policy
                .AddAuthenticationSchemes(DeskClaims.SchemeName)
                .RequireRole("agent"))
            .AddPolicy(WallboardHubPolicy, policy => policy
                .AddAuthenticationSchemes(DeskClaims.SchemeName)
                .RequireRole("supervisor", "admin"));
        return services;
    }

    /// <summary>The two hubs, the events the host raises into them and the wallboard's once-a-second view.</summary>
    private static void AddHubs(IServiceCollection services)
    {
        services.AddSingleton<SessionConnections>();
        services.AddSignalR(options => options.AddFilter<SessionConnections>());
        services.TryAddSingleton(new DeskTimings(15));
        services.TryAddSingleton<AuditRepository>();
        services.TryAddSingleton<DispositionCodeRepository>();
        services.AddSingleton<DeskAudit>();
        services.AddSingleton<WallboardAudience>();
        services.AddSingleton<DeskEvents>();
        services.AddSingleton<IDeskEvents>(s => s.GetRequiredService<DeskEvents>());
        services.AddSingleton<Contracts.Desk.IDeskEmailTaskNotices, EmailTaskNotices>();
        services.AddHostedService(s => s.GetRequiredService<DeskEvents>());
        services.AddSingleton<ListAlertBoard>();
        services.AddSingleton<CallCenter.Contracts.Desk.IListAlerts>(s => s.GetRequiredService<ListAlertBoard>());
        services.TryAddSingleton<IWallboardPeers, NoWallboardPeers>();
        services.TryAddSingleton<Data.StoreIdentity>();
        services.AddSingleton<WallboardPublisher>();
        services.AddSingleton<CallerPicks>();
        services.AddHostedService(s => s.GetRequiredService<WallboardPublisher>());
    }

    /// <summary>Maps the desk and the REST API; returns the /api group (authorized, anti-forgery for cookie writes) for other rooms' endpoints.</summary>
    public static RouteGroupBuilder MapAgentDesk(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        UseTrustedProxies(app);
        app.Use(DeskSecurityHeaders.HstsAsync);
        app.Use(HubOriginCheck.InvokeAsync);
        app.UseAuthentication();
        app.UseAuthorization();
        DeskEndpoints.Map(app);
        DeskPages.Map(app);
        AdminEndpoints.Map(app);

        // An expired desk session closes the hub connection (the cookie's expiry is the connection's).
        app.MapHub<AgentHub>(AgentHub.Path, options => options.CloseOnAuthenticationExpiration = true).RequireAuthorization(AgentHubPolicy);
        app.MapHub<WallboardHub>(WallboardHub.Path, options => options.CloseOnAuthenticationExpiration = true).RequireAuthorization(WallboardHubPolicy);
        var api = app.MapGroup("/api").RequireAuthorization(ApiPolicy).AddEndpointFilter(CookieAntiforgery.RequireForCookieWritesAsync);
        CallsEndpoints.Map(api);
        CallControlEndpoints.Map(api);
        MonitorEndpoints.Map(api);
        AgentsEndpoints.Map(api);
        AgentsEndpoints.MapDial(api);
        QueuesEndpoints.Map(api);
        MetricsEndpoints.Map(api);
        ClientsEndpoints.Map(api);
        RecordingsEndpoints.Map(api);
        return api;
    }

    /// <summary>
    /// Behind a configured reverse proxy the client is the address the proxy appended to X-Forwarded-For (the
    /// rightmost entry that is not itself a trusted proxy); from anyone else the header is ignored. Without
    /// <see cref="DeskOptions.TrustedProxies"/> nothing is read: ASP.NET Core's own default would trust loopback.
    /// </summary>
    private static void UseTrustedProxies(WebApplication app)
    {
        var networks = app.Services.GetRequiredService<DeskOptions>().TrustedProxyNetworks();
        if (networks.Count == 0)
        {
            return;
        }

        var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor, ForwardLimit = null };
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var network in networks)
        {
            forwarded.KnownIPNetworks.Add(network);
        }

        app.UseForwardedHeaders(forwarded);
    }

    private static void ConfigureCookie(CookieAuthenticationOptions options, DeskOptions desk, TimeProvider time)
    {
        options.TimeProvider = time;
        options.Cookie.Name = ".CallCenter.Desk";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;

        // Secure whenever the desk is served over HTTPS (Urls with https:// and a Kestrel certificate).
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.ExpireTimeSpan = TimeSpan.FromMinutes(desk.SessionMinutes);
        options.SlidingExpiration = true;
        options.LoginPath = "/desk/signin";

        // Each request checks the cookie's session on the server: sign-out and a new password end it at once.
        options.Events.OnValidatePrincipal = DeskSessions.ValidateAsync;

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
