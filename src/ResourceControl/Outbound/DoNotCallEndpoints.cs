using System.Security.Claims;
using CallCenter.Data.Desk;

namespace CallCenter.ResourceControl.Outbound;

/// <summary>
/// The do-not-call list over REST, on the host's /api group (an API key, or a signed-in supervisor or
/// admin): <c>GET /api/do-not-call</c> → every number with its reason; <c>POST /api/do-not-call</c>
/// <c>{"number", "reason"}</c> → 201 (200 when it was listed already: the reason replaced), 400 with the
/// reason for a bad body or number; <c>DELETE /api/do-not-call/{number}</c> → 204, 404 when not listed.
/// Every add and removal is in the audit log (<see cref="AddAction"/>, <see cref="RemoveAction"/>): who, which
/// number, when, and the reason given.
/// </summary>
internal static class DoNotCallEndpoints
{
    public const string AddAction = "do-not-call.add";
    public const string RemoveAction = "do-not-call.remove";

    public sealed record AddRequest(string? Number, string? Reason);

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/do-not-call", async (OutboundRules rules, CancellationToken cancellationToken) =>
            Results.Json((await rules.ListAsync(cancellationToken)).Select(r => new { number = r.Number, reason = r.Reason, addedBy = r.AddedBy, addedAt = r.AddedAt })));

        api.MapPost("/do-not-call", AddAsync);
        api.MapDelete("/do-not-call/{number}", RemoveAsync);
    }

    public static async Task<IResult> AddAsync(AddRequest? request, OutboundRules rules, AuditRepository audit, TimeProvider time, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(time);
        if (request is null || string.IsNullOrWhiteSpace(request.Number) || string.IsNullOrWhiteSpace(request.Reason))
        {
            return Problem(400, "The body must be JSON with a number and a reason: {\"number\": \"13900000001\", \"reason\": \"client asked not to be called\"}.");
        }

        if (request.Reason.Length > 200)
        {
            return Problem(400, "The reason is at most 200 characters.");
        }

        var (by, role) = Actor(user);
        var (row, added, refusal) = await rules.AddAsync(request.Number.Trim(), request.Reason.Trim(), by, cancellationToken);
        if (row is null)
        {
            return Problem(400, refusal! + "; nothing was added.");
        }

        await audit.AppendAsync(new AuditEntry(row.AddedAt, by, role, AddAction, row.Number, AuditEntry.Done, (added ? "added: " : "reason replaced: ") + row.Reason), CancellationToken.None);
        return Results.Json(new { number = row.Number, reason = row.Reason, addedBy = row.AddedBy, addedAt = row.AddedAt }, statusCode: added ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    public static async Task<IResult> RemoveAsync(string number, OutboundRules rules, AuditRepository audit, TimeProvider time, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(time);
        var (by, role) = Actor(user);
        var removed = await rules.RemoveAsync(number, by, cancellationToken);
        if (removed is true)
        {
            await audit.AppendAsync(new AuditEntry(time.GetUtcNow(), by, role, RemoveAction, rules.Listed(number) ?? number, AuditEntry.Done, "removed from the do-not-call list"), CancellationToken.None);
        }

        return removed switch
        {
            null => Problem(400, $"\"{number}\" is not a phone number."),
            false => Problem(404, $"{number} is not on the do-not-call list."),
            true => Results.NoContent(),
        };
    }

    private static (string By, string Role) Actor(ClaimsPrincipal user) =>
        (user?.Identity?.Name ?? "api-key", user?.FindFirst(ClaimTypes.Role)?.Value ?? "api-key");

    private static IResult Problem(int status, string detail) => Results.Problem(detail, statusCode: status);
}
