using CallCenter.AgentDesk.Calls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CallCenter.AgentDesk.Endpoints;

/// <summary>POST /api/calls/{id}/transfer with {"target": "1002" | "general"}: blind transfer of a live call.</summary>
internal static class CallControlEndpoints
{
    public sealed record TransferRequest(string? Target);

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/calls/{id}/transfer", async (string id, TransferRequest? request, ICallControl calls) =>
        {
            if (string.IsNullOrWhiteSpace(request?.Target))
            {
                return Results.Problem("target is required: an agent's extension or a queue id.", statusCode: StatusCodes.Status400BadRequest);
            }

            var result = await calls.TransferAsync(id, request.Target.Trim());
            return result.Error switch
            {
                CallControlError.None => Results.Json(new { callId = id, target = request.Target.Trim(), result = result.Message }),
                CallControlError.UnknownCall => Results.Problem(result.Message, statusCode: StatusCodes.Status404NotFound),
                CallControlError.UnknownTarget => Results.Problem(result.Message, statusCode: StatusCodes.Status422UnprocessableEntity),
                _ => Results.Problem(result.Message, statusCode: StatusCodes.Status409Conflict),
            };
        });
}
