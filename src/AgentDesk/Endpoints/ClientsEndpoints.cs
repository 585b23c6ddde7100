using CallCenter.Data.Catalog;
using CallCenter.Data.Clients;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CallCenter.AgentDesk.Endpoints;

/// <summary>
/// GET /api/clients/{phone}: the client directory entry; GET /api/tier-changes: the tier review's history, newest first;
/// GET /api/tier-reviews: the applied reviews with counts per tier before and after; GET /api/tier-reviews/{quarter}: one
/// review's changes grouped by account manager.
/// </summary>
internal static class ClientsEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/clients/{phone}", async (string phone, CatalogRepository catalog, CancellationToken cancellationToken) =>
        {
            if (await catalog.FindClientAsync(phone, cancellationToken) is not { } client)
            {
                return Results.Problem($"There is no client with phone {phone}.", statusCode: StatusCodes.Status404NotFound);
            }

            var manager = client.ManagerExtension is { } extension ? await catalog.FindAgentAsync(extension, cancellationToken) : null;
            return Results.Json(new
            {
                phone = client.Phone,
                name = client.Name,
                maskedAccount = client.AccountMasked,
                tier = client.Tier,
                business = client.Business,
                accountManager = client.ManagerExtension,
                accountManagerName = manager?.Name ?? client.ManagerName,
                accountManagerPhone = client.ManagerPhone,
                language = client.Language,
                branch = client.Branch,
                callHours = client.CallHours,
            });
        });

        api.MapGet("/tier-changes", async (string? phone, int? limit, TierChangeRepository changes, CancellationToken cancellationToken) =>
        {
            var take = limit ?? 50;
            if (take is < 1 or > TierChangeRepository.MaxLimit)
            {
                return Results.Problem($"limit must be between 1 and {TierChangeRepository.MaxLimit}.", statusCode: StatusCodes.Status400BadRequest);
            }

            var history = await changes.ListAsync(string.IsNullOrEmpty(phone) ? null : phone, take, cancellationToken);
            return Results.Json(history.Select(c => new
            {
                seq = c.Seq,
                phone = c.Phone,
                quarter = c.Quarter,
                oldTier = c.OldTier,
                newTier = c.NewTier,
                reason = c.Reason,
                decidedAt = c.DecidedAt,
                source = c.Source,
            }));
        });

        // The published reviews: each quarter's counts per tier before and after, and the notices it queued.
        api.MapGet("/tier-reviews", async (int? limit, TierChangeRepository changes, CancellationToken cancellationToken) =>
        {
            var take = limit ?? 20;
            if (take is < 1 or > TierChangeRepository.MaxLimit)
            {
                return Results.Problem($"limit must be between 1 and {TierChangeRepository.MaxLimit}.", statusCode: StatusCodes.Status400BadRequest);
            }

            var reviews = await changes.ListReviewsAsync(take, cancellationToken);
            return Results.Json(reviews.Select(r => new
            {
                quarter = r.Quarter,
                reviewedAt = r.ReviewedAt,
                source = r.Source,
                clients = r.Clients,
                changes = r.Changes,
                tiersBefore = r.TiersBefore,
                tiersAfter = r.TiersAfter,
                notices = r.Notices,
                managerNotices = r.ManagerNotices,
            }));
        });

        // One review with its changes grouped by account manager: the list each manager gets.
        api.MapGet("/tier-reviews/{quarter}", async (string quarter, TierChangeRepository changes, CancellationToken cancellationToken) =>
        {
            if (await changes.FindReviewAsync(quarter, cancellationToken) is not { } review)
            {
                return Results.Problem($"No review of quarter \"{(quarter.Length > 16 ? quarter[..16] : quarter)}\" was applied (quarters are written like 2026Q3).", statusCode: StatusCodes.Status404NotFound);
            }

            var lines = await changes.ListQuarterAsync(review.Quarter, cancellationToken);
            return Results.Json(new
            {
                quarter = review.Quarter,
                reviewedAt = review.ReviewedAt,
                source = review.Source,
                clients = review.Clients,
                changes = review.Changes,
                tiersBefore = review.TiersBefore,
                tiersAfter = review.TiersAfter,
                notices = review.Notices,
                managerNotices = review.ManagerNotices,
                managers = lines
                    .GroupBy(l => (l.ManagerExtension, l.ManagerName, l.ManagerPhone))
                    .OrderBy(g => g.Key.ManagerExtension is null && g.Key.ManagerName is null)
                    .ThenBy(g => g.Key.ManagerExtension ?? g.Key.ManagerName, StringComparer.Ordinal)
                    .Select(g => new
                    {
                        extension = g.Key.ManagerExtension,
                        name = g.Key.ManagerName,
                        phone = g.Key.ManagerPhone,
                        clients = g.Select(l => new
                        {
                            phone = l.Change.Phone,
                            name = l.Name,
                            oldTier = l.Change.OldTier,
                            newTier = l.Change.NewTier,
                            reason = l.Change.Reason,
                        }),
                    }),
            });
        });
    }
}
