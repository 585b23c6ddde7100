using System.Globalization;
using CallCenter.Data.Callbacks;

namespace CallCenter.ResourceControl.Outbound;

/// <summary>
/// <c>POST /api/callbacks</c> <c>{"number", "queue", "at"?}</c> → 201 with the callback (400 with the
/// reason for a bad number, queue or time; 409 when no trunk is configured); <c>GET /api/callbacks/{id}</c>
/// → <c>status</c>, <c>attempts</c>, <c>outcome</c>; <c>GET /api/callbacks?status=&amp;limit=</c> → the newest.
/// Mapped on the host's /api group (an API key, or a signed-in supervisor or admin).
/// </summary>
internal static class CallbacksEndpoints
{
    public sealed record BookRequest(string? Number, string? Queue, string? At);

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/callbacks", async (BookRequest? request, Callbacks callbacks, Data.Calls.CallerLookupRepository callers, TimeProvider time, CancellationToken cancellationToken) =>
        {
            if (request is null || string.IsNullOrWhiteSpace(request.Number))
            {
                return Problem(400, "The body must be JSON with at least a number: {\"number\": \"13800000001\", \"queue\": \"general\", \"at\": \"2026-12-05T09:30:00+08:00\"}.");
            }

            var now = time.GetUtcNow();
            DateTimeOffset? at = null;
            if (!string.IsNullOrWhiteSpace(request.At))
            {
                if (!DateTimeOffset.TryParse(request.At, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    return Problem(400, $"\"at\" is not an ISO 8601 time: \"{request.At}\".");
                }

                if (parsed > now.AddDays(90))
                {
                    return Problem(400, $"\"at\" is more than 90 days ahead: {parsed:u}.");
                }

                at = parsed.ToUniversalTime();
            }

            if (!callbacks.Available)
            {
                return Problem(409, "No trunk is configured (Trunks:0:Address), so the platform cannot call anyone back; nothing was booked.");
            }

            // The client's tier, language and account manager come from the directory, as for a caller.
            var client = (await callers.FindAsync(request.Number.Trim(), 0, cancellationToken)).Client;
            var (row, refusal) = await callbacks.BookAsync(
                new CallbackRequest(request.Number, request.Queue ?? "general", "api", at ?? now, at, client?.Tier, client?.Language, client?.ManagerExtension),
                cancellationToken);
            return row is null
                ? Problem(400, refusal! + "; nothing was booked.")
                : Results.Json(ToJson(row), statusCode: StatusCodes.Status201Created);
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
    };

    private static IResult Problem(int status, string detail) => Results.Problem(detail, statusCode: status);
}
