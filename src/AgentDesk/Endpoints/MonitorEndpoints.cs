using System.Security.Claims;
using CallCenter.Contracts.Calls;
using CallCenter.Data.Desk;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace CallCenter.AgentDesk.Endpoints;

/// <summary>
/// A supervisor joins a live agent call: POST /api/calls/{id}/monitor with {"mode": "listen" |
/// "whisper" | "barge", "extension": "1900"} rings that supervisor's phone (or changes the mode
/// of a supervisor already on the call), DELETE /api/calls/{id}/monitor/{extension} ends their
/// leg. Every request, done or refused, goes to the audit log with who asked.
/// </summary>
internal static class MonitorEndpoints
{
    public sealed record MonitorRequest(string? Mode, string? Extension);

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/calls/{id}/monitor", async (string id, MonitorRequest? request, ClaimsPrincipal user, [FromServices] IMonitorControl monitor, [FromServices] AuditRepository audit, [FromServices] TimeProvider time) =>
        {
            var extension = request?.Extension?.Trim();
            if (!TryParseMode(request?.Mode, out var mode) || string.IsNullOrEmpty(extension))
            {
                var problem = string.IsNullOrEmpty(extension) && TryParseMode(request?.Mode, out _)
                    ? "extension is required: the supervisor's SIP extension."
                    : "mode must be listen, whisper or barge.";
                await AuditAsync(audit, time, user, "call.monitor", id, AuditEntry.Refused, $"{problem} (mode {request?.Mode ?? "none"}, extension {extension ?? "none"})");
                return Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest);
            }

            var result = await monitor.MonitorAsync(id, extension, mode);
            var modeName = mode.ToString().ToLowerInvariant();
            await AuditAsync(audit, time, user, "call.monitor", id, result.Done ? AuditEntry.Done : AuditEntry.Refused, $"{modeName} from {extension}: {result.Message}");
            return result.Error switch
            {
                CallControlError.None => Results.Json(new { callId = id, extension, mode = modeName, result = result.Message }),
                CallControlError.UnknownCall => Results.Problem(result.Message, statusCode: StatusCodes.Status404NotFound),
                CallControlError.UnknownTarget => Results.Problem(result.Message, statusCode: StatusCodes.Status422UnprocessableEntity),
                _ => Results.Problem(result.Message, statusCode: StatusCodes.Status409Conflict),
            };
        });

        api.MapDelete("/calls/{id}/monitor/{extension}", async (string id, string extension, ClaimsPrincipal user, [FromServices] IMonitorControl monitor, [FromServices] AuditRepository audit, [FromServices] TimeProvider time) =>
        {
            var result = await monitor.StopMonitorAsync(id, extension);
            await AuditAsync(audit, time, user, "call.monitor-stop", id, result.Done ? AuditEntry.Done : AuditEntry.Refused, $"{extension}: {result.Message}");
            return result.Error switch
            {
                CallControlError.None => Results.Json(new { callId = id, extension, result = result.Message }),
                CallControlError.UnknownCall or CallControlError.UnknownTarget => Results.Problem(result.Message, statusCode: StatusCodes.Status404NotFound),
                _ => Results.Problem(result.Message, statusCode: StatusCodes.Status409Conflict),
            };
        });
    }

    private static bool TryParseMode(string? text, out MonitorMode mode)
    {
        // Only the three names of the contract: Enum.TryParse would also take "0" or "Listen, Barge".
        switch (text?.Trim().ToLowerInvariant())
        {
            case "listen":
                mode = MonitorMode.Listen;
                return true;
            case "whisper":
                mode = MonitorMode.Whisper;
                return true;
            case "barge":
                mode = MonitorMode.Barge;
                return true;
            default:
                mode = default;
                return false;
        }
    }

    // The actor is the desk user's login, or "api-key" for a key (never the key itself).
    private static Task AuditAsync(AuditRepository audit, TimeProvider time, ClaimsPrincipal user, string action, string target, string outcome, string detail) =>
        audit.AppendAsync(new AuditEntry(
            time.GetUtcNow(),
            user.Identity?.Name ?? "unknown",
            user.FindFirst(ClaimTypes.Role)?.Value ?? "unknown",
            action,
            target,
            outcome,
            detail));
}
