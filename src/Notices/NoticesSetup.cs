using CallCenter.Contracts.Notices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CallCenter.Notices;

/// <summary>The Notices room's services (the store, the editor, <see cref="IAnnouncements"/>) and its endpoints.</summary>
public static class NoticesSetup
{
    public static IServiceCollection AddNotices(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AnnouncementStore>();
        services.AddSingleton<AnnouncementEditor>();
        services.AddSingleton<Announcements>();
        services.AddSingleton<IAnnouncements>(s => s.GetRequiredService<Announcements>());
        return services;
    }

    /// <summary>Maps /api/announcements on the host's authorized <paramref name="api"/> group.</summary>
    public static void MapNotices(this WebApplication app, IEndpointRouteBuilder api)
    {
        ArgumentNullException.ThrowIfNull(app);
        AnnouncementEndpoints.Map(api);
    }
}
