using System.Security.Claims;
using CallCenter.AgentDesk.Hubs;
using CallCenter.Contracts.Calls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace CallCenter.AgentDesk.Endpoints;

/// <summary>
/// Call control of a live call: POST /api/calls/{id}/transfer with {"target": "1002" | "general"}
/// (blind), and the attended transfer's POST /api/calls/{id}/consult with {"target": "1002"}, then
/// POST /api/calls/{id}/consult/complete or /consult/cancel; POST /api/calls/{id}/hold, /resume and /hangup.
/// Each request, done or refused, goes to the audit log with who asked (a supervisor's login or the API key).
/// </summary>
internal static class CallControlEndpoints
{
    public sealed record TransferRequest(string? Target);

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/calls/{id}/transfer", (string id, TransferRequest? request, ClaimsPrincipal user, [FromServices] ICallControl calls, [FromServices] DeskAudit audit) =>
            WithTargetAsync(id, request, "call.transfer", "target is required: an agent's extension or a queue id.", user, audit, target => calls.TransferAsync(id, target)));
        api.MapPost("/calls/{id}/consult", (string id, TransferRequest? request, ClaimsPrincipal user, [FromServices] ICallControl calls, [FromServices] DeskAudit audit) =>
            WithTargetAsync(id, request, "call.consult", "target is required: the extension of the agent to consult.", user, audit, target => calls.ConsultAsync(id, target)));
        api.MapPost("/calls/{id}/consult/complete", (string id, ClaimsPrincipal user, [FromServices] ICallControl calls, [FromServices] DeskAudit audit) =>
            AuditedAsync(id, "call.consult-complete", null, user, audit, () => calls.CompleteConsultAsync(id)));
        api.MapPost("/calls/{id}/consult/cancel", (string id, ClaimsPrincipal user, [FromServices] ICallControl calls, [FromServices] DeskAudit audit) =>
            AuditedAsync(id, "call.consult-cancel", null, user, audit, () => calls.CancelConsultAsync(id)));

        // What the agent desk's buttons do, for the API: hold (the caller hears music), resume, hang up (both legs end).
        api.MapPost("/calls/{id}/hold", (string id, ClaimsPrincipal user, [FromServices] IDeskCalls calls, [FromServices] DeskAudit audit) =>
            AuditedAsync(id, "call.hold", null, user, audit, () => calls.HoldAsync(id)));
        api.MapPost("/calls/{id}/resume", (string id, ClaimsPrincipal user, [FromServices] IDeskCalls calls, [FromServices] DeskAudit audit) =>
            AuditedAsync(id, "call.resume", null, user, audit, () => calls.ResumeAsync(id)));
        api.MapPost("/calls/{id}/hangup", (string id, ClaimsPrincipal user, [FromServices] IDeskCalls calls, [FromServices] DeskAudit audit) =>
            AuditedAsync(id, "call.hangup", null, user, audit, () => calls.HangUpAsync(id)));
    }

    private static async Task<IResult> WithTargetAsync(
        string id, TransferRequest? request, string action, string required, ClaimsPrincipal user, DeskAudit audit, Func<string, Task<CallControlResult>> run)
    {
        var target = request?.Target?.Trim();
        if (string.IsNullOrEmpty(target))
        {
            await audit.RefusedAsync(user, action, id, "no target");
            return Results.Problem(required, statusCode: StatusCodes.Status400BadRequest);
        }

        if (target.Length > RequestLimits.MaxTarget)
        {
            await audit.RefusedAsync(user, action, id, $"target of {target.Length} characters");
            return AgentsEndpoints.Invalid("target", RequestLimits.TargetTooLong);
        }

        return await AuditedAsync(id, action, "to " + target, user, audit, () => run(target));
    }

    private static async Task<IResult> AuditedAsync(string id, string action, string? detail, ClaimsPrincipal user, DeskAudit audit, Func<Task<CallControlResult>> run)
    {
        var result = await run();
        var text = detail is null ? result.Message : $"{detail}: {result.Message}";
        if (result.Done)
        {
            await audit.DoneAsync(user, action, id, text);
        }
        else
        {
            await audit.RefusedAsync(user, action, id, text);
        }

        return ToResult(id, result);
    }

    private static IResult ToResult(string id, CallControlResult result) => result.Error switch
    {
        CallControlError.None => Results.Json(new { callId = id, result = result.Message }),
        CallControlError.UnknownCall => Results.Problem(result.Message, statusCode: StatusCodes.Status404NotFound),
        CallControlError.UnknownTarget => Results.Problem(result.Message, statusCode: StatusCodes.Status422UnprocessableEntity),
        _ => Results.Problem(result.Message, statusCode: StatusCodes.Status409Conflict),
    };
}
