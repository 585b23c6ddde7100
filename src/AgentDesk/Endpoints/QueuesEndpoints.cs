using System.Security.Claims;
using CallCenter.AgentDesk.Hubs;
using CallCenter.Contracts.Queues;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace CallCenter.AgentDesk.Endpoints;

/// <summary>
/// GET /api/queues (design.md section 4), with each queue's waiting callers (numbers masked, tiers named as the
/// configured scheme names them); POST /api/queues/callers/{callId}/pick {"agent"}: a supervisor hands a waiting
/// caller to an available agent (audited, done or refused).
/// </summary>
internal static class QueuesEndpoints
{
    public sealed record PickRequest(string? Agent);

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/queues", (IQueueStates queues) => Results.Json(queues.List().Select(q => new
        {
            id = q.Id,
            waiting = q.Waiting,
            waitingByTier = q.WaitingByTier,
            longestWaitSeconds = q.LongestWaitSeconds,
            agentsAvailable = q.AgentsAvailable,
            callers = q.Callers,
        })));

        api.MapPost("/queues/callers/{callId}/pick", async (string callId, PickRequest? request, ClaimsPrincipal user, [FromServices] CallerPicks picks) =>
        {
            var outcome = await picks.PickAsync(user, "api.pick-caller", callId, request?.Agent);
            return outcome.Status switch
            {
                CallerPickStatus.Done => Results.Json(new { ok = true, message = outcome.Message, callId, agent = request!.Agent!.Trim() }),
                CallerPickStatus.Invalid => AgentsEndpoints.Invalid("agent", "The body must be {\"agent\": \"1001\"}. " + outcome.Message),
                CallerPickStatus.UnknownAgent => Results.Problem(outcome.Message, statusCode: StatusCodes.Status404NotFound),
                CallerPickStatus.Unavailable => Results.Problem(
                    outcome.Message,
                    statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "The cluster's ACD cannot take the pick now",
                    extensions: new Dictionary<string, object?> { ["error"] = "acdUnavailable" }),
                _ => Results.Problem(
                    outcome.Message,
                    statusCode: StatusCodes.Status409Conflict,
                    title: "The caller cannot be picked for that agent",
                    extensions: new Dictionary<string, object?> { ["error"] = outcome.Status == CallerPickStatus.CallNotWaiting ? "callNotWaiting" : "agentNotAvailable" }),
            };
        });
    }
}
