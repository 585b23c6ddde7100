using CallCenter.Contracts.Calls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CallCenter.AgentDesk.Endpoints;

/// <summary>
/// Call control of a live call: POST /api/calls/{id}/transfer with {"target": "1002" | "general"}
/// (blind), and the attended transfer's POST /api/calls/{id}/consult with {"target": "1002"}, then
/// POST /api/calls/{id}/consult/complete or /consult/cancel; POST /api/calls/{id}/hold, /resume and /hangup.
/// </summary>
internal static class CallControlEndpoints
{
    public sealed record TransferRequest(string? Target);

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/calls/{id}/transfer", async (string id, TransferRequest? request, ICallControl calls) =>
            string.IsNullOrWhiteSpace(request?.Target)
                ? Results.Problem("target is required: an agent's extension or a queue id.", statusCode: StatusCodes.Status400BadRequest)
                : ToResult(id, await calls.TransferAsync(id, request.Target.Trim())));
        api.MapPost("/calls/{id}/consult", async (string id, TransferRequest? request, ICallControl calls) =>
            string.IsNullOrWhiteSpace(request?.Target)
                ? Results.Problem("target is required: the extension of the agent to consult.", statusCode: StatusCodes.Status400BadRequest)
                : ToResult(id, await calls.ConsultAsync(id, request.Target.Trim())));
        api.MapPost("/calls/{id}/consult/complete", async (string id, ICallControl calls) => ToResult(id, await calls.CompleteConsultAsync(id)));
        api.MapPost("/calls/{id}/consult/cancel", async (string id, ICallControl calls) => ToResult(id, await calls.CancelConsultAsync(id)));

        // What the agent desk's buttons do, for the API: hold (the caller hears music), resume, hang up (both legs end).
        api.MapPost("/calls/{id}/hold", async (string id, IDeskCalls calls) => ToResult(id, await calls.HoldAsync(id)));
        api.MapPost("/calls/{id}/resume", async (string id, IDeskCalls calls) => ToResult(id, await calls.ResumeAsync(id)));
        api.MapPost("/calls/{id}/hangup", async (string id, IDeskCalls calls) => ToResult(id, await calls.HangUpAsync(id)));
    }

    private static IResult ToResult(string id, CallControlResult result) => result.Error switch
    {
        CallControlError.None => Results.Json(new { callId = id, result = result.Message }),
        CallControlError.UnknownCall => Results.Problem(result.Message, statusCode: StatusCodes.Status404NotFound),
        CallControlError.UnknownTarget => Results.Problem(result.Message, statusCode: StatusCodes.Status422UnprocessableEntity),
        _ => Results.Problem(result.Message, statusCode: StatusCodes.Status409Conflict),
    };
}
