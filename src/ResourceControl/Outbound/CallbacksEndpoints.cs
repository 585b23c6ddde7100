using System.Security.Claims;
using CallCenter.Data.Callbacks;

namespace CallCenter.ResourceControl.Outbound;

/// <summary>
/// <c>POST /api/callbacks</c> <c>{"number", "queue", "at"?, "owner"?}</c> → 201 with the callback (400 with the
/// reason for a bad number, queue, time or owner; 409 when no trunk is configured; <see cref="CallbackBooking"/> books it); <c>GET /api/callbacks/{id}</c>
/// → <c>status</c>, <c>attempts</c>, <c>outcome</c>; <c>GET /api/callbacks?status=&amp;limit=</c> → the newest;
/// <c>POST /api/callbacks/{id}/cancel</c> → 200 with the callback, now <c>cancelled</c> with <c>cancelledBy</c> and
/// <c>cancelledAt</c> (404 unknown; 409 being dialled, a call list's entry, or already ended, with the reason).
/// Mapped on the host's /api group (an API key, or a signed-in supervisor or admin).
/// </summary>
internal static class CallbacksEndpoints
{
    public sealed record BookRequest(string? Number, string? Queue, string? At, string? Owner);

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/callbacks", async (BookRequest? request, CallbackBooking booking, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            if (request is null || string.IsNullOrWhiteSpace(request.Number))
            {
                return Problem(400, "The body must be JSON with at least a number: {\"number\": \"13800000001\", \"queue\": \"general\", \"at\": \"2026-12-05T09:30:00+08:00\", \"owner\": \"1002\"}.");
            }

            var owner = string.IsNullOrWhiteSpace(request.Owner) ? null : request.Owner.Trim();
            var (row, status, refusal) = await booking.BookAsync(request.Number, request.Queue, request.At, owner, "api", timeRequired: false, By(user), cancellationToken);
            return row is null
                ? Problem(status, Sentence(refusal!) + " Nothing was booked.")
                : Results.Json(ToJson(row), statusCode: StatusCodes.Status201Created);
        });

        api.MapPost("/callbacks/{id}/cancel", async (string id, CallbackBooking booking, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            var (row, status, refusal) = await booking.CancelAsync(id, By(user), owner: null, cancellationToken);
            return row is null ? Problem(status, Sentence(refusal!) + " Nothing was changed.") : Results.Json(ToJson(row));
        });

        api.MapGet("/callbacks/{id}", async (string id, Callbacks callbacks, CancellationToken cancellationToken) =>
            await callbacks.GetAsync(id, cancellationToken) is { } row
                ? Results.Json(ToJson(row))
                : Problem(404, $"No callback {id}."));

        api.MapGet("/callbacks", async (string? status, int? limit, Callbacks callbacks, CancellationToken cancellationToken) =>
        {
            if (status is not null && !CallbackStatuses.IsOpen(status) && status is not (CallbackStatuses.Completed or CallbackStatuses.Failed or CallbackStatuses.Cancelled))
            {
                return Problem(400, $"Unknown status \"{status}\" (scheduled, queued, calling, completed, failed, cancelled).");
            }

            var rows = await callbacks.ListAsync(status, Math.Clamp(limit ?? 50, 1, 500), cancellationToken);
            return Results.Json(rows.Select(ToJson));
        });
    }

    private static object ToJson(CallbackRow r) => new
    {
        id = r.Id,
        number = r.Number,
        queue = r.Queue,
        tier = r.Tier,
        source = r.Source,
        originCallId = r.OriginCallId,
        requestedAt = r.RequestedAt,
        at = r.DueAt,
        nextAttemptAt = r.NextAttemptAt,
        status = r.Status,
        attempts = r.Attempts,
        outcome = r.Outcome,
        lastCallId = r.LastCallId,
        updatedAt = r.UpdatedAt,
        owner = r.OwnerAgent,
        requestedBy = r.RequestedBy,
        cancelledBy = r.CancelledBy,
        cancelledAt = r.CancelledAt,
    };

    private static string By(ClaimsPrincipal user) => user.Identity?.Name ?? "api-key";

    private static string Sentence(string reason) => reason.Length == 0 ? reason : char.ToUpperInvariant(reason[0]) + reason[1..] + ".";

    private static IResult Problem(int status, string detail) => Results.Problem(detail, statusCode: status);
}
