using CallCenter.FaxSms.Outbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CallCenter.FaxSms.Email.Inbound;

/// <summary>
/// GET /api/email-tasks[?status=&amp;agent=&amp;limit=] (newest first), GET /api/email-tasks/{id}, and
/// POST /api/email-tasks/{id}/reply <c>{"agent", "text"}</c> → 202 with the outbox id of the threaded answer,
/// POST /api/email-tasks/{id}/accept and /decline <c>{"agent"}</c> → 200 (409 when not offered to that agent).
/// </summary>
internal static class EmailTaskEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/email-tasks", async (string? status, string? agent, int? limit, EmailTaskRepository tasks, CancellationToken cancellationToken) =>
        {
            if (limit is < 1 or > 1000)
            {
                return Results.Problem("\"limit\" must be 1-1000.", statusCode: StatusCodes.Status400BadRequest);
            }

            var list = await tasks.ListAsync(string.IsNullOrEmpty(status) ? null : status, string.IsNullOrEmpty(agent) ? null : agent, limit ?? 100, cancellationToken);
            return Results.Json(list.Select(View));
        });

        api.MapGet("/email-tasks/{id}", async (string id, EmailTaskRepository tasks, CancellationToken cancellationToken) =>
            await tasks.GetAsync(id, cancellationToken) is { } task
                ? Results.Json(View(task))
                : Results.Problem($"No e-mail task {id}.", statusCode: StatusCodes.Status404NotFound));

        api.MapPost("/email-tasks/{id}/accept", (string id, AgentRequest? request, EmailTaskRepository tasks, EmailTaskSignal offers, TimeProvider time, CancellationToken cancellationToken) =>
            StepAsync(id, request, agent => tasks.AcceptAsync(id, agent, time.GetUtcNow(), cancellationToken), offers));

        api.MapPost("/email-tasks/{id}/decline", (string id, AgentRequest? request, EmailTaskRepository tasks, EmailTaskSignal offers, TimeProvider time, CancellationToken cancellationToken) =>
            StepAsync(id, request, agent => tasks.DeclineAsync(id, agent, time.GetUtcNow(), cancellationToken), offers));

        api.MapPost("/email-tasks/{id}/reply", async (string id, ReplyRequest? request, EmailTaskRepository tasks, OutboxSignal outbox, EmailTaskSignal offers, TimeProvider time, CancellationToken cancellationToken) =>
        {
            if (request is null || string.IsNullOrWhiteSpace(request.Agent) || string.IsNullOrWhiteSpace(request.Text) || request.Text.Length > MessageRequest.MaxEmailLength)
            {
                return Results.Problem($"The body must be JSON {{\"agent\": \"1001\", \"text\": \"...\"}} with a text of 1-{MessageRequest.MaxEmailLength} characters.", statusCode: StatusCodes.Status400BadRequest);
            }

            var (messageId, error) = await tasks.ReplyAsync(id, request.Agent, request.Text, time.GetUtcNow(), cancellationToken);
            if (messageId is null)
            {
                return Results.Problem(error, statusCode: error!.StartsWith("No ", StringComparison.Ordinal) ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict);
            }

            outbox.Notify();
            offers.Notify();
            return Results.Json(new { id, status = EmailTaskStatus.Closed, messageId }, statusCode: StatusCodes.Status202Accepted);
        });
    }

    /// <summary>POST /api/email-tasks/{id}/accept or /decline <c>{"agent"}</c>: what the agent's desk does, for an integration.</summary>
    private static async Task<IResult> StepAsync(string id, AgentRequest? request, Func<string, Task<string?>> step, EmailTaskSignal offers)
    {
        if (request is null || string.IsNullOrWhiteSpace(request.Agent) || request.Agent.Length > 64)
        {
            return Results.Problem("The body must be JSON {\"agent\": \"1001\"} (at most 64 characters).", statusCode: StatusCodes.Status400BadRequest);
        }

        if (await step(request.Agent) is { } error)
        {
            return Results.Problem(error, statusCode: error.StartsWith("No ", StringComparison.Ordinal) ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict);
        }

        offers.Notify();
        return Results.Ok(new { id, agent = request.Agent });
    }

    internal static object View(EmailTask t) => new
    {
        id = t.Id,
        messageId = t.MessageId,
        from = t.Sender,
        fromName = t.SenderName,
        subject = t.Subject,
        text = t.Body,
        inReplyTo = t.InReplyTo,
        references = t.References,
        client = t.ClientPhone,
        tier = t.Tier,
        status = t.Status,
        reason = t.Reason,
        agent = t.Agent,
        replyId = t.ReplyId,
        acknowledgementId = t.AcknowledgementId,
        receivedAt = t.ReceivedAt,
        offeredAt = t.OfferedAt,
        closedAt = t.ClosedAt,
        acceptedAt = t.AcceptedAt,
        passedBy = t.PassedBy,
        offers = t.Offers,
        attachments = t.Attachments.Select(a => new { fileName = a.FileName, contentType = a.ContentType, size = a.Size, kept = a.Kept }),
    };

    internal sealed record ReplyRequest(string? Agent, string? Text);

    internal sealed record AgentRequest(string? Agent);
}
