using System.Globalization;
using System.Text.Json;
using CallCenter.AgentDesk.Admin;
using CallCenter.AgentDesk.Auth;
using CallCenter.Contracts.Agents;
using CallCenter.Data.Clients;
using CallCenter.Data.Desk;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace CallCenter.AgentDesk.Endpoints;

/// <summary>
/// The admin pages' API under /api/admin (role admin, or an API key): agents and skills, disposition
/// codes, the queues and tiers as configured (read-only), and the client directory's CSV import.
/// A desk cookie's POST, PUT and DELETE must carry the anti-forgery token of GET /desk/antiforgery in
/// <see cref="AntiforgeryHeader"/>. Every change, done or refused, goes to the audit log.
/// </summary>
internal static class AdminEndpoints
{
    public const string AntiforgeryHeader = "X-CSRF-TOKEN";

    public const string AntiforgeryRefused = "缺少或无效的防伪令牌，请刷新页面 · The anti-forgery token is missing or invalid; reload the page.";

    public sealed record AgentRequest(string? Name, List<string?>? Skills, string? Password);

    public sealed record ContactRequest(string? Mobile, string? Email);

    public sealed record DispositionCodeRequest(string? LabelZh, string? LabelEn, bool? Active, int? SortOrder);

    public static void AddServices(IServiceCollection services)
    {
        services.TryAddSingleton<AdminAgentRepository>();
        services.TryAddSingleton<ClientImportRepository>();
        services.TryAddSingleton<ClientFiguresRepository>();
        services.TryAddSingleton<DispositionCodeRepository>();
        services.TryAddSingleton<AuditRepository>();
        services.TryAddSingleton<AdminAudit>();
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/desk/antiforgery", (HttpContext context, IAntiforgery antiforgery) =>
        {
            var tokens = antiforgery.GetAndStoreTokens(context);
            context.Response.Headers.CacheControl = "no-store";
            return Results.Json(new { token = tokens.RequestToken });
        }).RequireAuthorization(AgentDeskSetup.DeskPolicy);

        var admin = app.MapGroup("/api/admin")
            .RequireAuthorization(policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName, DeskClaims.SchemeName)
                .RequireRole("api", "admin"))
            .AddEndpointFilter(CookieAntiforgery.RequireForCookieWritesAsync);

        admin.MapGet("/agents", async ([FromServices] AdminAgentRepository agents, CancellationToken cancellationToken) =>
            Results.Json((await agents.ListAsync(cancellationToken)).Select(ToJson)));
        admin.MapPut("/agents/{extension}", SaveAgentAsync);
        admin.MapDelete("/agents/{extension}", DeleteAgentAsync);
        admin.MapGet("/agents/{extension}/contact", async (string extension, [FromServices] AdminAgentRepository agents, CancellationToken cancellationToken) =>
            await agents.ContactAsync(extension, cancellationToken) is { } contact
                ? Results.Json(new { extension, mobile = contact.Mobile, email = contact.Email })
                : Results.Problem($"There is no agent {(extension.Length > 16 ? extension[..16] : extension)}.", statusCode: StatusCodes.Status404NotFound));
        admin.MapPut("/agents/{extension}/contact", SaveAgentContactAsync);

        admin.MapGet("/disposition-codes", async ([FromServices] DispositionCodeRepository codes, CancellationToken cancellationToken) =>
            Results.Json((await codes.ListAsync(activeOnly: false, cancellationToken)).Select(ToJson)));
        admin.MapPut("/disposition-codes/{code}", SaveDispositionCodeAsync);

        admin.MapGet("/queues", ([FromServices] AdminSettings settings) => Results.Json(settings.Queues.Select(q => new
        {
            id = q.Id,
            skills = q.Skills,
            maxLength = q.MaxLength,
            maxWaitSeconds = q.MaxWaitSeconds,
            overflow = q.Overflow,
            strategy = q.Strategy,
            closed = q.Closed,
            priority = q.Priority,
            starvationGuardSeconds = q.StarvationGuardSeconds,
        })));
        admin.MapGet("/tiers", ([FromServices] AdminSettings settings) => Results.Json(new
        {
            tiers = settings.Tiers.Names,
            scheme = settings.Tiers.Scheme,
            definitions = settings.Tiers.Definitions,
            businesses = settings.Tiers.Businesses,
            bonusSeconds = settings.Tiers.BonusSeconds,
            thresholds = settings.Tiers.Thresholds,
            reviewJob = settings.Tiers.ReviewJob,
            reviewDay = settings.Tiers.ReviewDay,
            reviewHour = settings.Tiers.ReviewHour,
        }));

        admin.MapPost("/clients/import", ImportClientsAsync);
        admin.MapPost("/clients/figures", ImportFiguresAsync);
    }

    private static async Task<IResult> SaveAgentAsync(
        string extension,
        HttpContext context,
        [FromServices] AdminAgentRepository agents,
        [FromServices] AdminSettings settings,
        [FromServices] IAgentCatalogChanges changes,
        [FromServices] AdminAudit audit)
    {
        const string action = "admin.agent.save";
        var actor = AdminActor.Of(context.User);
        var cancellationToken = context.RequestAborted;
        var (request, bodyError) = await ReadJsonAsync<AgentRequest>(context);
        var (field, error) = bodyError is not null ? ("body", bodyError)
            : AdminRules.Extension(extension) is { } e1 ? ("extension", e1)
            : AdminRules.Name(request!.Name) is { } e2 ? ("name", e2)
            : AdminRules.Skills(request.Skills) is { } e3 ? ("skills", e3)
            : AdminRules.Password(request.Password) is { } e4 ? ("password", e4)
            : (null, null);
        if (error is not null)
        {
            await audit.RefusedAsync(actor, action, extension, error, cancellationToken);
            return Invalid(field!, error);
        }

        var name = request!.Name!.Trim();
        var skills = request.Skills!.Select(s => s!).Distinct(StringComparer.Ordinal).ToList();
        var credentials = request.Password is { } password ? AgentPasswords.For(extension, settings.SipRealm, password) : null;
        var (outcome, saved) = await agents.SaveAsync(extension, name, skills, credentials, cancellationToken);
        switch (outcome)
        {
            case AgentSaveOutcome.PasswordRequired:
                const string needsPassword = "password is required for a new agent: its SIP phone and desk sign-in need one.";
                await audit.RefusedAsync(actor, action, extension, needsPassword, cancellationToken);
                return Invalid("password", needsPassword);
            case AgentSaveOutcome.LoginTaken:
                var taken = $"The desk login \"{extension}\" belongs to a user with another role; it is not made an agent's login.";
                await audit.RefusedAsync(actor, action, extension, taken, cancellationToken);
                return Results.Problem(taken, statusCode: StatusCodes.Status409Conflict);
            default:
                break;
        }

        changes.AgentSaved(extension, saved!.Skills, saved.Kind);
        if (credentials is not null && saved.Kind == AdminAgent.AgentKind)
        {
            // The repository ended the login's sessions with the new password; its sign-in locks end too.
            context.RequestServices.GetRequiredService<SignInGuard>().ForgetLogin(extension);
            context.RequestServices.GetRequiredService<DeskSessions>().EndedForLogin(extension);
        }

        var detail = $"name={name}; skills={string.Join(',', skills)}; {(credentials is null ? "password unchanged" : "password set, sessions ended")}";
        await audit.DoneAsync(actor, action, extension, detail, cancellationToken);
        return outcome == AgentSaveOutcome.Created
            ? Results.Json(ToJson(saved), statusCode: StatusCodes.Status201Created)
            : Results.Json(ToJson(saved));
    }

    /// <summary>
    /// PUT /api/admin/agents/{extension}/contact <c>{"mobile": "...", "email": "..."}</c>: where the agent, as an account
    /// manager, gets the quarterly review's list of their clients whose tier changed (null or empty clears). Audited.
    /// </summary>
    private static async Task<IResult> SaveAgentContactAsync(
        string extension,
        HttpContext context,
        [FromServices] AdminAgentRepository agents,
        [FromServices] AdminAudit audit)
    {
        const string action = "admin.agent.contact";
        var actor = AdminActor.Of(context.User);
        var cancellationToken = context.RequestAborted;
        var (request, bodyError) = await ReadJsonAsync<ContactRequest>(context);
        var (field, error) = bodyError is not null ? ("body", bodyError)
            : AdminRules.Extension(extension) is { } e1 ? ("extension", e1)
            : AdminRules.Mobile(request!.Mobile) is { } e2 ? ("mobile", e2)
            : AdminRules.Email(request.Email) is { } e3 ? ("email", e3)
            : (null, null);
        if (error is not null)
        {
            await audit.RefusedAsync(actor, action, extension, error, cancellationToken);
            return Invalid(field!, error);
        }

        var mobile = string.IsNullOrEmpty(request!.Mobile) ? null : request.Mobile;
        var email = string.IsNullOrEmpty(request.Email) ? null : request.Email;
        if (!await agents.SetContactAsync(extension, mobile, email, cancellationToken))
        {
            var unknown = $"There is no agent {extension}.";
            await audit.RefusedAsync(actor, action, extension, unknown, cancellationToken);
            return Results.Problem(unknown, statusCode: StatusCodes.Status404NotFound);
        }

        await audit.DoneAsync(actor, action, extension, $"mobile {(mobile is null ? "cleared" : "set")}; email {(email is null ? "cleared" : "set")}", cancellationToken);
        return Results.Json(new { extension, mobile, email });
    }

    private static async Task<IResult> DeleteAgentAsync(
        string extension,
        HttpContext context,
        [FromServices] AdminAgentRepository agents,
        [FromServices] IAgentStates states,
        [FromServices] IAgentCatalogChanges changes,
        [FromServices] AdminAudit audit)
    {
        const string action = "admin.agent.delete";
        var actor = AdminActor.Of(context.User);
        var cancellationToken = context.RequestAborted;
        if (AdminRules.Extension(extension) is { } invalid)
        {
            await audit.RefusedAsync(actor, action, extension, invalid, cancellationToken);
            return Invalid("extension", invalid);
        }

        if (states.List().FirstOrDefault(a => a.Id == extension) is { State: not "offline" } busy)
        {
            var reason = $"Agent {extension} is {busy.State}: only an offline agent can be deleted (sign them off first).";
            await audit.RefusedAsync(actor, action, extension, reason, cancellationToken);
            return Results.Problem(reason, statusCode: StatusCodes.Status409Conflict);
        }

        var (outcome, clients) = await agents.DeleteAsync(extension, cancellationToken);
        switch (outcome)
        {
            case AgentDeleteOutcome.NotFound:
                var unknown = $"There is no agent {extension}.";
                await audit.RefusedAsync(actor, action, extension, unknown, cancellationToken);
                return Results.Problem(unknown, statusCode: StatusCodes.Status404NotFound);
            case AgentDeleteOutcome.AccountManager:
                var reason = string.Create(CultureInfo.InvariantCulture, $"Agent {extension} is the account manager of {clients} clients: give them another one first (client import).");
                await audit.RefusedAsync(actor, action, extension, reason, cancellationToken);
                return Results.Problem(reason, statusCode: StatusCodes.Status409Conflict);
            default:
                changes.AgentRemoved(extension);
                context.RequestServices.GetRequiredService<DeskSessions>().EndedForLogin(extension);
                await audit.DoneAsync(actor, action, extension, null, cancellationToken);
                return Results.NoContent();
        }
    }

    private static async Task<IResult> SaveDispositionCodeAsync(
        string code, HttpContext context, [FromServices] DispositionCodeRepository codes, [FromServices] AdminAudit audit)
    {
        const string action = "admin.disposition-code.save";
        var actor = AdminActor.Of(context.User);
        var cancellationToken = context.RequestAborted;
        var (request, bodyError) = await ReadJsonAsync<DispositionCodeRequest>(context);
        var (field, error) = bodyError is not null ? ("body", bodyError)
            : AdminRules.DispositionCode(code) is { } e1 ? ("code", e1)
            : AdminRules.Label("labelZh", request!.LabelZh) is { } e2 ? ("labelZh", e2)
            : AdminRules.Label("labelEn", request.LabelEn) is { } e3 ? ("labelEn", e3)
            : AdminRules.SortOrder(request.SortOrder ?? 0) is { } e4 ? ("sortOrder", e4)
            : (null, null);
        if (error is not null)
        {
            await audit.RefusedAsync(actor, action, code, error, cancellationToken);
            return Invalid(field!, error);
        }

        var saved = new DispositionCode(code, request!.LabelZh!.Trim(), request.LabelEn!.Trim(), request.Active ?? true, request.SortOrder ?? 0);
        await codes.UpsertAsync(saved, cancellationToken);
        var detail = string.Create(CultureInfo.InvariantCulture, $"labelZh={saved.LabelZh}; labelEn={saved.LabelEn}; active={saved.Active}; sortOrder={saved.SortOrder}");
        await audit.DoneAsync(actor, action, code, detail, cancellationToken);
        return Results.Json(ToJson(saved));
    }

    private static async Task<IResult> ImportClientsAsync(
        HttpContext context,
        [FromServices] AdminAgentRepository agents,
        [FromServices] ClientImportRepository clients,
        [FromServices] AdminSettings settings,
        [FromServices] AdminAudit audit,
        [FromServices] ILogger<AdminAudit> logger)
    {
        const string action = "admin.clients.import";
        var actor = AdminActor.Of(context.User);
        var cancellationToken = context.RequestAborted;
        var (records, status, refusal) = await ClientCsvUpload.ReadAsync(context.Request, cancellationToken);
        if (records is null)
        {
            await audit.RefusedAsync(actor, action, null, refusal!, cancellationToken);
            return Results.Problem(refusal, statusCode: status);
        }

        var extensions = (await agents.ListAsync(cancellationToken))
            .Where(a => a.Kind == AdminAgent.AgentKind)
            .Select(a => a.Extension)
            .ToHashSet(StringComparer.Ordinal);
        // One business (the settings list it alone): the one-scheme check, as before Tiers:Businesses.
        var plan = settings.Tiers.Businesses.Count <= 1
            ? ClientCsvRules.Check(records, settings.Tiers.Names, extensions)
            : ClientCsvRules.Check(records, settings.Tiers.Businesses, settings.Tiers.Scheme, extensions);
        if (plan.HeaderError is { } headerError)
        {
            await audit.RefusedAsync(actor, action, null, headerError, cancellationToken);
            return Invalid("header", headerError);
        }

        var counts = await clients.UpsertAsync(plan.Rows, keepCallHours: !plan.HasCallHours, cancellationToken);
        AgentDeskLog.ClientsImported(logger, actor.Name, counts.Imported, counts.Updated, plan.Rejected.Count);
        var detail = string.Create(CultureInfo.InvariantCulture, $"imported={counts.Imported}; updated={counts.Updated}; rejected={plan.Rejected.Count}");
        await audit.DoneAsync(actor, action, null, detail, cancellationToken);
        return Results.Json(new
        {
            imported = counts.Imported,
            updated = counts.Updated,
            rejected = plan.Rejected.Select(r => new { line = r.Line, reason = r.Reason }),
        });
    }

    /// <summary>
    /// The grading feed: clients' monthly equity and fees (CSV, <see cref="FiguresCsvRules.Header"/>), good rows stored
    /// (a month sent again replaces the earlier figures), bad rows reported with their line; the quarterly review reads them.
    /// </summary>
    private static async Task<IResult> ImportFiguresAsync(
        HttpContext context,
        [FromServices] ClientFiguresRepository figures,
        [FromServices] TimeProvider time,
        [FromServices] AdminAudit audit,
        [FromServices] ILogger<AdminAudit> logger)
    {
        const string action = "admin.clients.figures";
        var actor = AdminActor.Of(context.User);
        var cancellationToken = context.RequestAborted;
        var (records, status, refusal) = await ClientCsvUpload.ReadAsync(context.Request, cancellationToken);
        if (records is null)
        {
            await audit.RefusedAsync(actor, action, null, refusal!, cancellationToken);
            return Results.Problem(refusal, statusCode: status);
        }

        var today = DateOnly.FromDateTime(time.GetLocalNow().DateTime);
        var plan = FiguresCsvRules.Check(records, await figures.ListPhonesAsync(cancellationToken), today);
        if (plan.HeaderError is { } headerError)
        {
            await audit.RefusedAsync(actor, action, null, headerError, cancellationToken);
            return Invalid("header", headerError);
        }

        await figures.UpsertMonthsAsync(plan.Rows, cancellationToken);
        AgentDeskLog.FiguresImported(logger, actor.Name, plan.Rows.Count, plan.Rejected.Count);
        var detail = string.Create(CultureInfo.InvariantCulture, $"imported={plan.Rows.Count}; rejected={plan.Rejected.Count}");
        await audit.DoneAsync(actor, action, null, detail, cancellationToken);
        return Results.Json(new
        {
            imported = plan.Rows.Count,
            rejected = plan.Rejected.Select(r => new { line = r.Line, reason = r.Reason }),
        });
    }

    /// <summary>A desk cookie's change must carry the anti-forgery token; an API key's needs none (a browser cannot forge that header).</summary>
    private static async Task<(T? Value, string? Error)> ReadJsonAsync<T>(HttpContext context)
        where T : class
    {
        if (!context.Request.HasJsonContentType())
        {
            return (null, "The body must be JSON (Content-Type: application/json).");
        }

        try
        {
            return await context.Request.ReadFromJsonAsync<T>(context.RequestAborted) is { } value ? (value, null) : (null, "The body must be a JSON object.");
        }
        catch (JsonException e)
        {
            return (null, "The body is not valid JSON: " + e.Message);
        }
    }

    /// <summary>A 400 problem whose <c>field</c> names the bad field.</summary>
    private static IResult Invalid(string field, string detail) => Results.Problem(
        detail,
        statusCode: StatusCodes.Status400BadRequest,
        title: "Invalid " + field,
        extensions: new Dictionary<string, object?> { ["field"] = field });

    private static object ToJson(AdminAgent a) => new { extension = a.Extension, name = a.Name, skills = a.Skills, kind = a.Kind };

    private static object ToJson(DispositionCode c) => new { code = c.Code, labelZh = c.LabelZh, labelEn = c.LabelEn, active = c.Active, sortOrder = c.SortOrder };
}
