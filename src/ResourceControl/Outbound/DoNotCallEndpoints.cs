using System.Security.Claims;

namespace CallCenter.ResourceControl.Outbound;

/// <summary>
/// The do-not-call list over REST, on the host's /api group (an API key, or a signed-in supervisor or
/// admin): <c>GET /api/do-not-call</c> → every number with its reason; <c>POST /api/do-not-call</c>
/// <c>{"number", "reason"}</c> → 201 (200 when it was listed already: the reason replaced), 400 with the
/// reason for a bad body or number; <c>DELETE /api/do-not-call/{number}</c> → 204, 404 when not listed.
/// </summary>
internal static class DoNotCallEndpoints
{
    public sealed record AddRequest(string? Number, string? Reason);

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/do-not-call", async (OutboundRules rules, CancellationToken cancellationToken) =>
            Results.Json((await rules.ListAsync(cancellationToken)).Select(r => new { number = r.Number, reason = r.Reason, addedBy = r.AddedBy, addedAt = r.AddedAt })));

        api.MapPost("/do-not-call", async (AddRequest? request, OutboundRules rules, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            if (request is null || string.IsNullOrWhiteSpace(request.Number) || string.IsNullOrWhiteSpace(request.Reason))
            {
                return Problem(400, "The body must be JSON with a number and a reason: {\"number\": \"13900000001\", \"reason\": \"client asked not to be called\"}.");
            }

            if (request.Reason.Length > 200)
            {
                return Problem(400, "The reason is at most 200 characters.");
            }

            var (row, added, refusal) = await rules.AddAsync(request.Number.Trim(), request.Reason.Trim(), user.Identity?.Name ?? "api-key", cancellationToken);
            return row is null
                ? Problem(400, refusal! + "; nothing was added.")
                : Results.Json(new { number = row.Number, reason = row.Reason, addedBy = row.AddedBy, addedAt = row.AddedAt }, statusCode: added ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        });

        api.MapDelete("/do-not-call/{number}", async (string number, OutboundRules rules, ClaimsPrincipal user, CancellationToken cancellationToken) =>
            await rules.RemoveAsync(number, user.Identity?.Name ?? "api-key", cancellationToken) switch
            {
                null => Problem(400, $"\"{number}\" is not a phone number."),
                false => Problem(404, $"{number} is not on the do-not-call list."),
                true => Results.NoContent(),
            });
    }

    private static IResult Problem(int status, string detail) => Results.Problem(detail, statusCode: status);
}
