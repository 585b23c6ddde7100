using CallCenter.FaxSms.Sms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CallCenter.FaxSms.Outbox;

/// <summary>
/// POST /api/messages → 202 with the id (400 with the reason for a bad recipient, or an SMS to a
/// number that opted out); GET /api/messages/{id} → status and history (design.md section 4).
/// Mapped on the host's /api group, which carries its API-key / supervisor authorization.
/// </summary>
internal static class MessagesEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/messages", async (MessageRequest? request, OutboxRepository outbox, SmsStore sms, OutboxSignal signal, TimeProvider time, [Microsoft.AspNetCore.Mvc.FromServices] IEnumerable<IMessageSender> senders, CancellationToken cancellationToken) =>
        {
            if (request is null)
            {
                return Results.Problem("The body must be JSON: {\"channel\": \"sms\" | \"email\", \"to\", \"subject\", \"text\"}.", statusCode: StatusCodes.Status400BadRequest);
            }

            var (message, error) = request.Validate(MessageRequest.NewId());
            if (message is null)
            {
                return Results.Problem(error, statusCode: StatusCodes.Status400BadRequest);
            }

            if (message.Channel == MessageChannel.Sms && await sms.FindOptOutAsync(message.Recipient, cancellationToken) is var (keyword, at))
            {
                return Results.Problem($"{message.Recipient} opted out of SMS (\"{keyword}\" on {at:u}); no SMS is sent to it.", statusCode: StatusCodes.Status400BadRequest);
            }

            await outbox.EnqueueAsync(message, time.GetUtcNow(), cancellationToken);
            signal.Notify();
            // Kept and accepted even when nothing can send its channel yet (nothing is lost), but said at once.
            return Results.Json(new { id = message.Id, status = MessageStatus.Queued, to = message.Recipient, waiting = Unsendable(message.Channel, senders) }, statusCode: StatusCodes.Status202Accepted);
        });

        api.MapGet("/messages/{id}", async (string id, OutboxRepository outbox, [Microsoft.AspNetCore.Mvc.FromServices] IEnumerable<IMessageSender> senders, CancellationToken cancellationToken) =>
            await outbox.GetAsync(id, cancellationToken) is { } view
                ? Results.Json(new
                {
                    id = view.Id,
                    channel = view.Channel,
                    to = view.Recipient,
                    subject = view.Subject,
                    status = view.Status,
                    attempts = view.Attempts,
                    lastError = view.LastError ?? (view.Status == MessageStatus.Queued ? Unsendable(view.Channel, senders) : null),
                    createdAt = view.CreatedAt,
                    history = view.History.Select(h => new { at = h.At, status = h.Status, detail = h.Detail }),
                })
                : Results.Problem($"No message {id}.", statusCode: StatusCodes.Status404NotFound));
    }

    /// <summary>
    /// Why a queued message on <paramref name="channel"/> does not go out: nothing is configured to send that channel
    /// (the shipped configuration has no SMS provider); null when something is.
    /// </summary>
    internal static string? Unsendable(string channel, IEnumerable<IMessageSender> senders) =>
        senders.Any(s => s.Channel == channel) ? null
        : channel == MessageChannel.Sms
            ? "No SMS provider is configured (Sms:Provider is empty): the message waits and goes out once one is configured and the platform restarted."
            : $"Nothing is configured to send {channel} (Mail:Smtp:Host is empty): the message waits and goes out once it is and the platform restarted.";
}
