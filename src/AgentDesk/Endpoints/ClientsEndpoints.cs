using CallCenter.Data.Catalog;
using CallCenter.Data.Clients;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CallCenter.AgentDesk.Endpoints;

/// <summary>GET /api/clients/{phone}: the client directory entry; GET /api/tier-changes: the tier review's history, newest first.</summary>
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
                accountManager = client.ManagerExtension,
                accountManagerName = manager?.Name,
                language = client.Language,
                branch = client.Branch,
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
    }
}
