using CallCenter.Data.Calls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CallCenter.AgentDesk.Endpoints;

/// <summary>GET /api/calls: the newest call records first (design.md section 4).</summary>
internal static class CallsEndpoints
{
    public const int MaxLimit = 1000;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/calls", async (int? limit, CallRecordRepository calls, CancellationToken cancellationToken) =>
        {
            var take = limit ?? 50;
            if (take is < 1 or > MaxLimit)
            {
                return Results.Problem($"limit must be between 1 and {MaxLimit}.", statusCode: StatusCodes.Status400BadRequest);
            }

            var records = await calls.ListNewestAsync(take, cancellationToken);
            return Results.Json(records.Select(ToJson));
        });
    }

    /// <summary>A record as <c>GET /api/calls</c> shows it (also the agent hub's <c>history</c>).</summary>
    public static object ToJson(CallRecord r) => new
    {
        id = r.Id,
        caller = r.Caller,
        dialed = r.Dialed,
        direction = r.Direction,
        list = r.ListId,
        listEntry = r.ListEntryId,
        attempt = r.Attempt,
        outcome = r.Outcome,
        tier = r.Tier,
        ivrPath = r.IvrPath,
        queue = r.Queue,
        agent = r.Agent,
        waitSeconds = r.WaitSeconds,
        talkSeconds = r.TalkSeconds,
        disposition = r.Disposition,
        recording = r.Recording,
        recordingSha256 = r.RecordingSha256,
        startedAt = r.StartedAt,
        endedAt = r.EndedAt,
        queuedAt = r.QueuedAt,
        answeredAt = r.AnsweredAt,
        ringSeconds = r.RingSeconds,
        holdSeconds = r.HoldSeconds,
        wrapUpSeconds = r.WrapUpSeconds,
        routing = r.Routing,
        fax = r.Fax is not { } f ? null : new { id = f.Id, direction = f.Direction, succeeded = f.Succeeded, pages = f.Pages, bitRate = f.BitRate, ecm = f.Ecm, resultCode = f.Code, result = f.Text, badRows = f.BadRows },
        legs = r.Legs.Select(l => new
        {
            role = l.Role,
            party = l.Party,
            startedAt = l.StartedAt,
            answeredAt = l.AnsweredAt,
            endedAt = l.EndedAt,
            outcome = l.Outcome,
            recordedFrom = l.RecordedFrom,
            recordedTo = l.RecordedTo,
        }),
        wrapUpCode = r.WrapUpCode,
        wrapUpNotes = r.WrapUpNotes,
    };
}
