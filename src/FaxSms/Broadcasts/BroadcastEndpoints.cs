using System.Security.Claims;
using System.Text.Json.Serialization;
using CallCenter.FaxSms.Outbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace CallCenter.FaxSms.Broadcasts;

/// <summary>
/// /api/broadcasts on the host's /api group (a supervisor, an admin or the API key):
/// templates (refused when they name an unknown placeholder), a preview of an audience, starting a
/// broadcast now or at a time (an <c>Idempotency-Key</c> header makes a retried POST start it once),
/// its progress, and schedules.
/// </summary>
internal static class BroadcastEndpoints
{
    public sealed record TemplateRequest(
        [property: JsonPropertyName("name")] string? Name,
        [property: JsonPropertyName("zh")] string? Zh,
        [property: JsonPropertyName("en")] string? En,
        [property: JsonPropertyName("channel")] string? Channel = null,
        [property: JsonPropertyName("subjectZh")] string? SubjectZh = null,
        [property: JsonPropertyName("subjectEn")] string? SubjectEn = null);

    public sealed record BroadcastRequest(
        [property: JsonPropertyName("templateId")] string? TemplateId,
        [property: JsonPropertyName("audience")] Audience? Audience,
        [property: JsonPropertyName("at")] DateTimeOffset? At,
        [property: JsonPropertyName("riskNotice")] bool RiskNotice);

    public sealed record ScheduleRequest(
        [property: JsonPropertyName("name")] string? Name,
        [property: JsonPropertyName("cron")] string? Cron,
        [property: JsonPropertyName("tradingDaysOnly")] bool TradingDaysOnly,
        [property: JsonPropertyName("templateId")] string? TemplateId,
        [property: JsonPropertyName("audience")] Audience? Audience,
        [property: JsonPropertyName("riskNotice")] bool RiskNotice);

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/broadcasts/templates", async (TemplateRequest? request, BroadcastRepository broadcasts, TimeProvider time, CancellationToken cancellationToken) =>
        {
            if (request is null || string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100)
            {
                return Bad("The body must be {\"name\": \"…\" (1-100 characters), \"channel\": \"sms\" (default) or \"email\", \"zh\": \"…\", \"en\": \"…\" (optional), and for e-mail \"subjectZh\", \"subjectEn\" (optional)}.");
            }

            var channel = request.Channel ?? MessageChannel.Sms;
            if (channel is not (MessageChannel.Sms or MessageChannel.Email))
            {
                return Bad($"\"channel\" must be \"sms\" or \"email\", not \"{channel}\".");
            }

            var email = channel == MessageChannel.Email;
            if (!email && (request.SubjectZh is not null || request.SubjectEn is not null))
            {
                return Bad("An SMS template has no subject.");
            }

            var maxLength = email ? MessageRequest.MaxEmailLength : MessageRequest.MaxSmsLength;
            foreach (var (field, text, required, max) in new[]
            {
                ("zh", request.Zh, true, maxLength),
                ("en", request.En, false, maxLength),
                ("subjectZh", request.SubjectZh, email, MessageRequest.MaxSubjectLength),
                ("subjectEn", request.SubjectEn, false, MessageRequest.MaxSubjectLength),
            })
            {
                if (!required && text is null)
                {
                    continue;
                }

                var (parsed, error) = MessageTemplate.Parse(text);
                if (error is not null)
                {
                    return Bad($"\"{field}\": {error}.");
                }

                if (!broadcasts.HasBackOffice && parsed!.Uses.Contains("holdings"))
                {
                    return Bad($"\"{field}\": {{{{holdings}}}} needs a back office, and none is configured (BackOffice:Provider).");
                }

                if (text!.Length > max)
                {
                    return Bad($"\"{field}\" is longer than {max} characters.");
                }

                if (field.StartsWith("subject", StringComparison.Ordinal) && text.AsSpan().IndexOfAny('\r', '\n') >= 0)
                {
                    return Bad($"\"{field}\" must be one line.");
                }
            }

            var (template, conflict) = await broadcasts.SaveTemplateAsync(
                new BroadcastTemplate("tpl-" + Guid.NewGuid().ToString("N"), request.Name.Trim(), channel, request.Zh!, request.En, time.GetUtcNow(), request.SubjectZh, request.SubjectEn),
                cancellationToken);
            return template is null
                ? Results.Problem(conflict, statusCode: StatusCodes.Status409Conflict)
                : Results.Json(Show(template), statusCode: StatusCodes.Status201Created);
        });

        api.MapGet("/broadcasts/templates", async (BroadcastRepository broadcasts, CancellationToken cancellationToken) =>
            Results.Json((await broadcasts.TemplatesAsync(cancellationToken)).Select(Show)));

        api.MapGet("/broadcasts/audience", async (BroadcastRepository broadcasts, CancellationToken cancellationToken) =>
        {
            var choices = await broadcasts.AudienceChoicesAsync(cancellationToken);
            return Results.Json(new
            {
                clients = choices.Clients,
                tiers = choices.Tiers.Select(t => new { name = t.Name, clients = t.Clients }),
                topics = choices.Topics.Select(t => new { name = t.Name, clients = t.Clients }),
                backOffice = choices.Stocks is not null,
                stocks = choices.Stocks?.Select(s => new { code = s.Code, name = s.Name, clients = s.Holders }),
                noBankLink = choices.NoBankLink,
            });
        }).AddEndpointFilter(BackOfficeDown);

        api.MapPost("/broadcasts/preview", async (BroadcastRequest? request, BroadcastRepository broadcasts, TimeProvider time, CancellationToken cancellationToken) =>
        {
            if (Check(request, broadcasts) is { } refused)
            {
                return refused;
            }

            return await broadcasts.PreviewAsync(request!.TemplateId!, request.Audience!, request.RiskNotice, time.GetUtcNow(), cancellationToken) is var (size, messages, skipped)
                ? Results.Json(new { audience = size, messages = messages.Count, skipped, sample = messages.Take(3).Select(m => new { to = m.Recipient, subject = m.Subject, text = m.Body }) })
                : Results.Problem($"No template {request.TemplateId}.", statusCode: StatusCodes.Status404NotFound);
        }).AddEndpointFilter(BackOfficeDown);

        api.MapPost("/broadcasts", async (BroadcastRequest? request, HttpContext context, ClaimsPrincipal user, BroadcastRepository broadcasts, OutboxSignal signal, TimeProvider time, ILogger<BroadcastScheduler> logger, CancellationToken cancellationToken) =>
        {
            if (Check(request, broadcasts) is { } refused)
            {
                return refused;
            }

            var now = time.GetUtcNow();
            if (request!.At is { } at && (at < now.AddMinutes(-5) || at > now.AddDays(366)))
            {
                return Bad("\"at\" must be a time from now to a year ahead (ISO 8601 with its offset).");
            }

            var key = context.Request.Headers["Idempotency-Key"].ToString();
            if (key.Length > 100)
            {
                return Bad("The Idempotency-Key header is at most 100 characters.");
            }

            var by = user.Identity?.Name ?? "api-key";
            var view = await broadcasts.CreateAsync(new BroadcastOrder(request.TemplateId!, request.Audience!, request.RiskNotice, request.At ?? now, by, key.Length == 0 ? null : "api:" + key), now, cancellationToken);
            if (view is null)
            {
                return Results.Problem($"No template {request.TemplateId}.", statusCode: StatusCodes.Status404NotFound);
            }

            FaxSmsLog.BroadcastStarted(logger, view.Id, view.RequestedBy, view.Queued, view.AudienceSize);
            signal.Notify();
            return Results.Json(Show(view), statusCode: StatusCodes.Status201Created);
        }).AddEndpointFilter(BackOfficeDown);

        api.MapGet("/broadcasts", async (int? limit, BroadcastRepository broadcasts, CancellationToken cancellationToken) =>
            Results.Json((await broadcasts.ListAsync(Math.Clamp(limit ?? 50, 1, 500), cancellationToken)).Select(Show)));

        api.MapGet("/broadcasts/{id}", async (string id, BroadcastRepository broadcasts, CancellationToken cancellationToken) =>
            await broadcasts.GetAsync(id, cancellationToken) is { } view
                ? Results.Json(Show(view))
                : Results.Problem($"No broadcast {id}.", statusCode: StatusCodes.Status404NotFound));

        api.MapPost("/broadcasts/schedules", async (ScheduleRequest? request, BroadcastRepository broadcasts, TimeProvider time, CancellationToken cancellationToken) =>
        {
            if (request is null || string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100)
            {
                return Bad("The body must be {\"name\", \"cron\", \"tradingDaysOnly\", \"templateId\", \"audience\", \"riskNotice\"}.");
            }

            if (Check(new BroadcastRequest(request.TemplateId, request.Audience, null, request.RiskNotice), broadcasts) is { } refused)
            {
                return refused;
            }

            var (schedule, error) = await broadcasts.SaveScheduleAsync(request.Name.Trim(), request.Cron ?? "", request.TradingDaysOnly, request.TemplateId!, request.Audience!, request.RiskNotice, time.GetUtcNow(), cancellationToken);
            return schedule is null ? Bad(error!) : Results.Json(Show(schedule), statusCode: StatusCodes.Status201Created);
        });

        api.MapGet("/broadcasts/schedules", async (BroadcastRepository broadcasts, CancellationToken cancellationToken) =>
            Results.Json((await broadcasts.SchedulesAsync(cancellationToken)).Select(Show)));

        api.MapDelete("/broadcasts/schedules/{id}", async (string id, BroadcastRepository broadcasts, CancellationToken cancellationToken) =>
            await broadcasts.DeleteScheduleAsync(id, cancellationToken)
                ? Results.NoContent()
                : Results.Problem($"No schedule {id}.", statusCode: StatusCodes.Status404NotFound));
    }

    /// <summary>
    /// A back office that fails while an audience or <c>{{holdings}}</c> is asked of it: 503 with the reason and
    /// Retry-After, nothing written (the broadcast is created only after every answer is in).
    /// </summary>
    private static async ValueTask<object?> BackOfficeDown(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (BackOfficeUnavailableException e)
        {
            context.HttpContext.Response.Headers.RetryAfter = "30";
            return Results.Problem(e.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static IResult? Check(BroadcastRequest? request, BroadcastRepository broadcasts)
    {
        if (request is null || string.IsNullOrWhiteSpace(request.TemplateId) || request.Audience is null)
        {
            return Bad("The body must be {\"templateId\": \"…\", \"audience\": {…}, \"at\": \"ISO time, optional\", \"riskNotice\": false}.");
        }

        if (request.Audience.Validate() is { } error)
        {
            return Bad(error + ".");
        }

        return request.Audience.NeedsBackOffice && !broadcasts.HasBackOffice
            ? Bad("\"holding\" and \"noBankLink\" are asked of the back office, and none is configured (BackOffice:Provider).")
            : null;
    }

    private static IResult Bad(string reason) => Results.Problem(reason, statusCode: StatusCodes.Status400BadRequest);

    private static object Show(BroadcastTemplate t) => new { id = t.Id, name = t.Name, channel = t.Channel, zh = t.BodyZh, en = t.BodyEn, subjectZh = t.SubjectZh, subjectEn = t.SubjectEn, createdAt = t.CreatedAt };

    private static object Show(BroadcastView v) => new
    {
        id = v.Id,
        templateId = v.TemplateId,
        template = v.TemplateName,
        audience = v.Audience,
        riskNotice = v.RiskNotice,
        requestedBy = v.RequestedBy,
        createdAt = v.CreatedAt,
        startsAt = v.StartsAt,
        audienceSize = v.AudienceSize,
        queued = v.Queued,
        skipped = v.Skipped,
        progress = v.Progress,
    };

    private static object Show(BroadcastSchedule s) => new
    {
        id = s.Id,
        name = s.Name,
        cron = s.Cron,
        tradingDaysOnly = s.TradingDaysOnly,
        templateId = s.TemplateId,
        audience = s.Audience,
        riskNotice = s.RiskNotice,
        nextRunAt = s.NextRunAt,
        lastRunAt = s.LastRunAt,
        lastBroadcastId = s.LastBroadcastId,
    };
}
