using CallCenter.FaxSms.Outbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Twilio.Security;

namespace CallCenter.FaxSms.Sms;

/// <summary>
/// The two URLs Twilio calls, outside /api/: POST /sms/twilio/status?id=… (each message's status
/// callback) and POST /sms/twilio/inbound (the Twilio number's messaging webhook). Twilio calls from
/// addresses of its own, so what proves a call is its <c>X-Twilio-Signature</c>: an HMAC under the
/// account's auth token of the URL Twilio called (<c>Sms:Twilio:CallbackBaseUrl</c> + path and
/// query) and the form's fields, checked with the SDK's <see cref="RequestValidator"/>. Without it,
/// or with a wrong one, 403. Mapped only when <c>Sms:Twilio:CallbackBaseUrl</c> is set.
/// </summary>
internal static class TwilioEndpoints
{
    public const string StatusPath = "/sms/twilio/status";
    public const string InboundPath = "/sms/twilio/inbound";

    public static void Map(IEndpointRouteBuilder app, TwilioOptions options)
    {
        var validator = new RequestValidator(options.AuthToken);
        var callbackBase = options.CallbackBaseUrl.TrimEnd('/');

        app.MapPost(StatusPath, async (HttpContext context, string? id, OutboxStatusWriter reports, TimeProvider time, ILogger<OutboxWorker> logger, CancellationToken cancellationToken) =>
        {
            if (await SignedFormAsync(context, validator, callbackBase, logger, cancellationToken) is not { } form)
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }

            if (string.IsNullOrEmpty(id))
            {
                return Results.Problem("The message id (id=) is missing.", statusCode: StatusCodes.Status400BadRequest);
            }

            form.TryGetValue("MessageStatus", out var status);
            form.TryGetValue("ErrorCode", out var errorCode);
            form.TryGetValue("MessageSid", out var sid);
            if (TwilioRules.Report(status, errorCode, sid) is not var (outboxStatus, detail))
            {
                // accepted, queued, sending: a step Twilio reports that changes nothing here.
                return Results.NoContent();
            }

            return await reports.ApplyAsync(new DeliveryReport(id, outboxStatus, detail, time.GetUtcNow()), cancellationToken)
                ? Results.NoContent()
                : Results.Problem("No such message.", statusCode: StatusCodes.Status404NotFound);
        });

        app.MapPost(InboundPath, async (HttpContext context, SmsStore store, OutboxSignal signal, TimeProvider time, ILogger<OutboxWorker> logger, CancellationToken cancellationToken) =>
        {
            if (await SignedFormAsync(context, validator, callbackBase, logger, cancellationToken) is not { } form)
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }

            if (!form.TryGetValue("MessageSid", out var sid) || string.IsNullOrEmpty(sid) || sid.Length > 100)
            {
                return Results.Problem("The message's MessageSid is missing.", statusCode: StatusCodes.Status400BadRequest);
            }

            form.TryGetValue("From", out var from);
            form.TryGetValue("To", out var to);
            form.TryGetValue("Body", out var body);
            await InboundSmsIntake.TakeAsync("twilio:" + sid, from, to, body, store, signal, time, logger, cancellationToken);

            // Empty TwiML: Twilio sends nothing back itself; a confirmation goes through the outbox.
            return Results.Content("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>", "text/xml");
        });
    }

    /// <summary>The form's fields when the request carries Twilio's signature over them; null (and a log line) when not.</summary>
    private static async Task<Dictionary<string, string>?> SignedFormAsync(HttpContext context, RequestValidator validator, string callbackBase, ILogger logger, CancellationToken cancellationToken)
    {
        var remote = context.Connection.RemoteIpAddress?.ToString() ?? "?";
        if (!context.Request.HasFormContentType)
        {
            FaxSmsLog.CallbackRefused(logger, context.Request.Path, remote, "not a form");
            return null;
        }

        var form = await context.Request.ReadFormAsync(cancellationToken);
        var fields = form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        var url = callbackBase + context.Request.Path + context.Request.QueryString;
        var signature = context.Request.Headers["X-Twilio-Signature"].ToString();
        if (signature.Length == 0 || !validator.Validate(url, fields, signature))
        {
            FaxSmsLog.CallbackRefused(logger, context.Request.Path, remote, "bad or missing X-Twilio-Signature");
            return null;
        }

        return fields;
    }
}
