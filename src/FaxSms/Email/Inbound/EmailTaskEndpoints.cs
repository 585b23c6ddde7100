using CallCenter.FaxSms.Outbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CallCenter.FaxSms.Email.Inbound;

/// <summary>
/// GET /api/email-tasks[?status=&amp;agent=&amp;limit=] (newest first), GET /api/email-tasks/{id}, and
/// POST /api/email-tasks/{id}/reply <c>{"agent", "text"}</c> → 202 with the outbox id of the threaded answer.
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
        attachments = t.Attachments.Select(a => new { fileName = a.FileName, contentType = a.ContentType, size = a.Size, kept = a.Kept }),
    };

    internal sealed record ReplyRequest(string? Agent, string? Text);
}
