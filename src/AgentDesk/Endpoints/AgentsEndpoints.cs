using System.Security.Claims;
using CallCenter.AgentDesk.Hubs;
using CallCenter.Contracts.Agents;
using CallCenter.Contracts.Calls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace CallCenter.AgentDesk.Endpoints;

/// <summary>GET /api/agents and POST /api/agents/{id}/state (design.md section 4). A state change, done or refused, is audited.</summary>
internal static class AgentsEndpoints
{
    public sealed record StateRequest(string? State, string? Reason);

    public sealed record DialRequest(string? Number);

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/agents", (IAgentStates agents) => Results.Json(agents.List().Select(ToJson)));

        api.MapPost("/agents/{id}/state", async (string id, StateRequest? request, ClaimsPrincipal user, [FromServices] IAgentStates agents, [FromServices] DeskAudit audit) =>
        {
            const string action = "api.agent-state";
            if (request?.State is not { Length: > 0 } state)
            {
                await audit.RefusedAsync(user, action, id, "no state in the body");
                return Results.Problem("The body must be {\"state\": \"available\" | \"break\" | \"offline\", \"reason\": \"...\"}.", statusCode: StatusCodes.Status400BadRequest);
            }

            if (request.Reason is { Length: > RequestLimits.MaxReason })
            {
                await audit.RefusedAsync(user, action, id, $"{Shorten(state)}: reason of {request.Reason.Length} characters");
                return Invalid("reason", RequestLimits.ReasonTooLong);
            }

            var change = agents.Request(id, state, request.Reason);
            var detail = $"{Shorten(state)} {request.Reason}".Trim();
            if (change.Error == AgentStateChangeError.None)
            {
                await audit.DoneAsync(user, action, id, detail);
            }
            else
            {
                await audit.RefusedAsync(user, action, id, $"{change.Error}: {detail}");
            }

            return change.Error switch
            {
                AgentStateChangeError.None when change.AfterCall => Results.Json(AfterCallJson(change.Agent!, change.Reason), statusCode: StatusCodes.Status202Accepted),
                AgentStateChangeError.None => Results.Json(ToJson(change.Agent!)),
                AgentStateChangeError.UnknownAgent => Results.Problem($"There is no agent {id}.", statusCode: StatusCodes.Status404NotFound),
                AgentStateChangeError.UnknownState => Results.Problem(change.Reason, statusCode: StatusCodes.Status400BadRequest),
                _ => Results.Problem(change.Reason, statusCode: StatusCodes.Status409Conflict, title: "The agent's state cannot change so"),
            };
        });
    }

    /// <summary>
    /// POST /api/agents/{id}/dial {"number"}: click-to-dial for an agent (their phone first, then the
    /// number through the trunk) → 202 with the new call's id; 422 for a number the dial plan refuses or
    /// without a trunk, 409 when the agent is not available. Audited.
    /// </summary>
    public static void MapDial(IEndpointRouteBuilder api) =>
        api.MapPost("/agents/{id}/dial", async (string id, DialRequest? request, ClaimsPrincipal user, [FromServices] IDeskCalls calls, [FromServices] DeskAudit audit) =>
        {
            const string action = "api.dial";
            var number = request?.Number?.Trim();
            if (string.IsNullOrEmpty(number) || number.Length > RequestLimits.MaxTarget)
            {
                await audit.RefusedAsync(user, action, id, "no number, or one too long");
                return Invalid("number", "The body must be {\"number\": \"13800000001\"} (at most " + RequestLimits.MaxTarget + " characters).");
            }

            var result = await calls.DialAsync(id, number);
            if (result.Done)
            {
                await audit.DoneAsync(user, action, id, $"{number}: call {result.CallId}");
                return Results.Json(new { callId = result.CallId, result = result.Message }, statusCode: StatusCodes.Status202Accepted);
            }

            await audit.RefusedAsync(user, action, id, $"{number}: {result.Message}");
            return result.Error == CallControlError.UnknownTarget
                ? Results.Problem(result.Message, statusCode: StatusCodes.Status422UnprocessableEntity)
                : Results.Problem(result.Message, statusCode: StatusCodes.Status409Conflict);
        });

    internal static IResult Invalid(string field, string problem) =>
        Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest, extensions: new Dictionary<string, object?> { ["field"] = field });

    private static string Shorten(string text) => text.Length > 32 ? text[..32] + "…" : text;

    // A cluster node passed the state on to the node holding the agent's call (202): the agent as now, and a message.
    private static object AfterCallJson(AgentSnapshot a, string? message) => new
    {
        id = a.Id,
        state = a.State,
        registered = a.Registered,
        since = a.Since,
        reason = a.Reason,
        callId = a.CallId,
        emailTask = a.EmailTask,
        message,
    };

    private static object ToJson(AgentSnapshot a) => new
    {
        id = a.Id,
        state = a.State,
        registered = a.Registered,
        since = a.Since,
        reason = a.Reason,
        callId = a.CallId,
        emailTask = a.EmailTask,
    };
}
