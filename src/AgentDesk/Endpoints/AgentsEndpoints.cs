using CallCenter.Contracts.Agents;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CallCenter.AgentDesk.Endpoints;

/// <summary>GET /api/agents and POST /api/agents/{id}/state (design.md section 4).</summary>
internal static class AgentsEndpoints
{
    public sealed record StateRequest(string? State, string? Reason);

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/agents", (IAgentStates agents) => Results.Json(agents.List().Select(ToJson)));

        api.MapPost("/agents/{id}/state", (string id, StateRequest? request, IAgentStates agents) =>
        {
            if (request?.State is not { Length: > 0 } state)
            {
                return Results.Problem("The body must be {\"state\": \"available\" | \"break\" | \"offline\", \"reason\": \"...\"}.", statusCode: StatusCodes.Status400BadRequest);
            }

            var change = agents.Request(id, state, request.Reason);
            return change.Error switch
            {
                AgentStateChangeError.None => Results.Json(ToJson(change.Agent!)),
                AgentStateChangeError.UnknownAgent => Results.Problem($"There is no agent {id}.", statusCode: StatusCodes.Status404NotFound),
                AgentStateChangeError.UnknownState => Results.Problem(change.Reason, statusCode: StatusCodes.Status400BadRequest),
                _ => Results.Problem(change.Reason, statusCode: StatusCodes.Status409Conflict, title: "The agent's state cannot change so"),
            };
        });
    }

    private static object ToJson(AgentSnapshot a) => new
    {
        id = a.Id,
        state = a.State,
        registered = a.Registered,
        since = a.Since,
        reason = a.Reason,
        callId = a.CallId,
    };
}
