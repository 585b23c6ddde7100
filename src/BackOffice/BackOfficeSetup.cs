using CallCenter.Contracts.BackOffice;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CallCenter.BackOffice;

/// <summary>The back office's services and endpoint, as <c>BackOffice:Provider</c> chooses.</summary>
public static class BackOfficeSetup
{
    public static IServiceCollection AddBackOffice(this IServiceCollection services, BackOfficeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        if (options.Provider == BackOfficeOptions.BuiltIn)
        {
            services.TryAddSingleton(TimeProvider.System);
            services.AddSingleton<BuiltInBackOffice>();
            services.AddSingleton<IBackOffice>(s => s.GetRequiredService<BuiltInBackOffice>());
            services.AddSingleton<IClientHoldings>(s => s.GetRequiredService<BuiltInBackOffice>());
            // The built-in quote table (bo_quotes) answers the quote port too; a market-data feed may replace it alone.
            services.AddSingleton<IQuoteSource>(s => s.GetRequiredService<BuiltInBackOffice>());
        }

        return services;
    }

    /// <summary>Maps /api/backoffice on the host's authorized <paramref name="api"/> group when the built-in back office is on.</summary>
    public static void MapBackOffice(this WebApplication app, IEndpointRouteBuilder api)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<BackOfficeOptions>().Provider == BackOfficeOptions.BuiltIn)
        {
            BackOfficeEndpoints.Map(api);
        }
    }
}
