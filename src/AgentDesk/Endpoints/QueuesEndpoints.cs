using CallCenter.Contracts.Queues;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CallCenter.AgentDesk.Endpoints;

/// <summary>GET /api/queues (design.md section 4).</summary>
internal static class QueuesEndpoints
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/queues", (IQueueStates queues) => Results.Json(queues.List().Select(q => new
        {
            id = q.Id,
            waiting = q.Waiting,
            waitingByTier = q.WaitingByTier,
            longestWaitSeconds = q.LongestWaitSeconds,
            agentsAvailable = q.AgentsAvailable,
        })));
}
