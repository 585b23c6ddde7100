using System.Security.Claims;
using CallCenter.Data.Desk;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace CallCenter.FaxSms.Fax;

/// <summary>
/// <c>POST /api/faxes</c> (multipart: <c>to</c>, a PDF <c>document</c>) → 202 with the id, 400 with the reason
/// and the id of the row that keeps the refusal (status <c>refused</c>; a malformed request keeps none);
/// <c>GET /api/faxes?direction=inbound|outbound&amp;limit=N</c> (newest first), <c>GET /api/faxes/{id}</c>
/// (status, pages, direction, the T.30 result) and <c>GET /api/faxes/{id}/pdf</c> (the received or sent
/// document), <c>POST /api/faxes/{id}/handled</c> (a received fax's task done; <c>?task=new|handled</c>
/// filters the list). Mapped on the host's /api group, which carries its API-key / supervisor authorization.
/// </summary>
internal static class FaxEndpoints
{
    /// <summary>The audit log's action for a received fax marked handled (done, or refused with the reason).</summary>
    public const string HandledAction = "fax.handled";

    /// <summary>The audit log's action for a fax's document fetched (GET /api/faxes/{id}/pdf): served or refused, by whom, when.</summary>
    public const string PdfAction = "fax.pdf";

    /// <summary>The audit log's action for a request to fax (POST /api/faxes): queued or refused with the reason, by whom, to where.</summary>
    public const string SendAction = "fax.send";

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/faxes", async (string? direction, string? task, int? limit, FaxRepository faxes, CancellationToken cancellationToken) =>
        {
            if (direction is not null && direction is not FaxStatus.Inbound and not FaxStatus.Outbound)
            {
                return Results.Problem("direction must be \"inbound\" or \"outbound\".", statusCode: StatusCodes.Status400BadRequest);
            }

            if (task is not null && task is not FaxStatus.TaskNew and not FaxStatus.TaskHandled)
            {
                return Results.Problem("task must be \"new\" or \"handled\".", statusCode: StatusCodes.Status400BadRequest);
            }

            var rows = await faxes.ListAsync(direction, task, Math.Clamp(limit ?? 50, 1, 500), cancellationToken);
            return Results.Json(rows.Select(View));
        });

        // A received fax is a supervisor's task: marked handled once, by whoever asked (the login or the API key),
        // which the audit log keeps (with a refused second mark).
        api.MapPost("/faxes/{id}/handled", async (string id, ClaimsPrincipal user, FaxRepository faxes, AuditRepository audit, TimeProvider time, ILoggerFactory logs, CancellationToken cancellationToken) =>
        {
            if (!FaxIds.IsWellFormed(id))
            {
                return Results.Problem($"No fax {id}.", statusCode: StatusCodes.Status404NotFound);
            }

            var by = user.Identity?.Name ?? "api-key";
            var role = user.FindFirst(ClaimTypes.Role)?.Value ?? "api-key";
            var (fax, changed) = await faxes.MarkHandledAsync(id, by, time.GetUtcNow(), cancellationToken);
            if (fax is null)
            {
                return Results.Problem($"No fax {id}.", statusCode: StatusCodes.Status404NotFound);
            }

            if (!changed)
            {
                var why = fax.Direction != FaxStatus.Inbound ? "it was sent, not received"
                    : fax.Status == FaxStatus.Receiving ? "it is still being received"
                    : $"it was marked handled by {fax.HandledBy} at {fax.HandledAt:O}";
                await audit.AppendAsync(new AuditEntry(time.GetUtcNow(), by, role, HandledAction, id, AuditEntry.Refused, why), CancellationToken.None);
                return Results.Problem($"Fax {id} cannot be marked handled: {why}.", statusCode: StatusCodes.Status409Conflict);
            }

            await audit.AppendAsync(new AuditEntry(fax.HandledAt ?? time.GetUtcNow(), by, role, HandledAction, id, AuditEntry.Done, $"received fax from {FaxSender.Shown(fax.Remote, fax.RemoteVerified)}, {fax.Pages} pages"), CancellationToken.None);
            FaxSmsLog.FaxTaskHandled(logs.CreateLogger("CallCenter.FaxSms.Fax.FaxEndpoints"), id, by);
            return Results.Json(View(fax));
        });

        api.MapPost("/faxes", (HttpRequest request, ClaimsPrincipal user, FaxOutbox outbox, FaxOptions options, AuditRepository audit, TimeProvider time, ILoggerFactory logs, CancellationToken cancellationToken) =>
            SendAsync(request, user, outbox, options, audit, time, logs.CreateLogger("CallCenter.FaxSms.Fax.FaxEndpoints"), cancellationToken));

        api.MapGet("/faxes/{id}", async (string id, FaxRepository faxes, CancellationToken cancellationToken) =>
            FaxIds.IsWellFormed(id) && await faxes.GetAsync(id, cancellationToken) is { } fax
                ? Results.Json(View(fax))
                : Results.Problem($"No fax {id}.", statusCode: StatusCodes.Status404NotFound));

        api.MapGet("/faxes/{id}/pdf", (string id, ClaimsPrincipal user, FaxRepository faxes, AuditRepository audit, TimeProvider time, ILoggerFactory logs, CancellationToken cancellationToken) =>
            PdfAsync(id, user, faxes, audit, time, logs.CreateLogger("CallCenter.FaxSms.Fax.FaxEndpoints"), cancellationToken));
    }

    /// <summary>
    /// <c>POST /api/faxes</c>: every request to fax is written to the audit log (<see cref="SendAction"/>) with who asked
    /// (the login and its role, or the API key), the fax's id (null when the request was malformed and left no row), where
    /// it was to go and the pages, queued (done) or refused with the reason; a client gone mid-upload or mid-render is
    /// audited as refused too. The platform dials a number on this request's word, so the request is attributed.
    /// </summary>
    public static async Task<IResult> SendAsync(HttpRequest request, ClaimsPrincipal user, FaxOutbox outbox, FaxOptions options, AuditRepository audit, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(time);
        var by = user.Identity?.Name ?? "api-key";
        var role = user.FindFirst(ClaimTypes.Role)?.Value ?? "api-key";
        var to = "";

        async Task<IResult> RefusedAsync(string? id, string why, int statusCode)
        {
            // The reason may quote what the client sent (a destination that is no number): no control characters in a log line.
            var said = Printable(why);
            FaxSmsLog.FaxSendRefused(logger, id ?? "(none)", Shown(to), by, role, said);
            await audit.AppendAsync(new AuditEntry(time.GetUtcNow(), by, role, SendAction, id, AuditEntry.Refused, $"to {Shown(to)}: {said}"), CancellationToken.None);
            return Results.Problem(why, statusCode: statusCode, extensions: id is null ? null : new Dictionary<string, object?> { ["id"] = id, ["status"] = FaxStatus.Refused });
        }

        if (!request.HasFormContentType)
        {
            return await RefusedAsync(null, "POST /api/faxes takes multipart/form-data: \"to\" and a PDF \"document\".", StatusCodes.Status400BadRequest);
        }

        if (request.ContentLength > options.MaxDocumentBytes + 64 * 1024)
        {
            return await RefusedAsync(null, $"The document is larger than {options.MaxDocumentBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await RefusedAsync(null, "the client went away before the request was read", StatusCodes.Status400BadRequest);
            throw;
        }

        to = form["to"].ToString();
        var document = form.Files.GetFile("document");
        if (document is null || document.Length == 0)
        {
            return await RefusedAsync(null, "A PDF \"document\" is required.", StatusCodes.Status400BadRequest);
        }

        if (document.Length > options.MaxDocumentBytes)
        {
            return await RefusedAsync(null, $"The document is larger than {options.MaxDocumentBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
        }

        await using var pdf = document.OpenReadStream();
        string? id;
        int pages;
        string? error;
        try
        {
            (id, pages, error) = await outbox.EnqueueAsync(to, pdf, cancellationToken);
        }
        catch (FaxUnavailableException e)
        {
            // The host cannot render documents (no ghostscript): a clear 503 with the reason, the refusal kept.
            return await RefusedAsync(e.Id, e.Message, StatusCodes.Status503ServiceUnavailable);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Nothing kept (no row, no file): the audit says who asked and that it was not queued.
            await RefusedAsync(null, "the client went away before the fax was queued", StatusCodes.Status400BadRequest);
            throw;
        }

        // Refused: the 400 names the row that records the refusal (GET /api/faxes/{id}, status "refused").
        if (error is not null)
        {
            return await RefusedAsync(id, error, StatusCodes.Status400BadRequest);
        }

        FaxSmsLog.FaxSendQueued(logger, id!, Shown(to), pages, by, role);
        await audit.AppendAsync(new AuditEntry(time.GetUtcNow(), by, role, SendAction, id, AuditEntry.Done, $"to {Shown(to)}, {pages} pages, queued"), CancellationToken.None);
        return Results.Json(new { id, status = FaxStatus.Queued, direction = FaxStatus.Outbound, to, documentPages = pages }, statusCode: StatusCodes.Status202Accepted);
    }

    // A destination as given, for the audit and the log: at most 40 characters, no control characters.
    private static string Printable(string text) => new([.. text.Select(c => char.IsControl(c) ? '?' : c)]);

    private static string Shown(string to)
    {
        if (to.Length == 0)
        {
            return "(none)";
        }

        var clean = new string([.. to.Take(40).Select(c => char.IsControl(c) ? '?' : c)]);
        return to.Length > 40 ? clean + "…" : clean;
    }

    /// <summary>
    /// A fax's document, like a call's recording, is read only with a trace: every fetch is written to the
    /// audit log (<see cref="PdfAction"/>) with who asked (the login, or the API key), which fax and when,
    /// served or refused (a malformed id is not echoed as given).
    /// </summary>
    public static async Task<IResult> PdfAsync(string id, ClaimsPrincipal user, FaxRepository faxes, AuditRepository audit, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(faxes);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(time);
        var by = user.Identity?.Name ?? "api-key";
        var role = user.FindFirst(ClaimTypes.Role)?.Value ?? "api-key";
        var wellFormed = FaxIds.IsWellFormed(id);
        var fax = wellFormed ? await faxes.GetAsync(id, cancellationToken) : null;
        if (fax is { PdfPath: { } pdf } && File.Exists(pdf))
        {
            FaxSmsLog.FaxPdfServed(logger, fax.Id, by, role);
            await audit.AppendAsync(
                new AuditEntry(time.GetUtcNow(), by, role, PdfAction, fax.Id, AuditEntry.Done, $"{fax.Direction} fax, {Math.Max(fax.Pages, fax.DocumentPages ?? 0)} pages"),
                CancellationToken.None);
            return Results.File(pdf, "application/pdf", fax.Id + ".pdf");
        }

        var target = wellFormed ? id : "(not a fax id)";
        var why = fax is null ? "no such fax" : "the fax has no PDF";
        FaxSmsLog.FaxPdfRefused(logger, target, by, role, why);
        await audit.AppendAsync(new AuditEntry(time.GetUtcNow(), by, role, PdfAction, target, AuditEntry.Refused, why), CancellationToken.None);
        return Results.Problem($"No PDF for fax {target}.", statusCode: StatusCodes.Status404NotFound);
    }

    private static object View(FaxRecord fax) => new
    {
        id = fax.Id,
        direction = fax.Direction,
        status = fax.Status,
        remote = fax.Remote,
        to = fax.Direction == FaxStatus.Outbound ? fax.Remote : fax.LocalNumber,
        from = fax.Direction == FaxStatus.Inbound ? fax.Remote : fax.LocalNumber,
        fromVerified = fax.Direction != FaxStatus.Inbound || fax.RemoteVerified,
        pages = fax.Pages,
        documentPages = fax.DocumentPages,
        bitRate = fax.BitRate,
        ecm = fax.Ecm,
        resultCode = fax.ResultCode,
        result = fax.ResultText,
        attempts = fax.Attempts,
        callId = fax.CallId,
        pdf = fax.PdfPath is null ? null : $"/api/faxes/{fax.Id}/pdf",
        createdAt = fax.CreatedAt,
        updatedAt = fax.UpdatedAt,
        nextAttemptAt = fax.NextAttemptAt,
        task = fax.Task,
        handledAt = fax.HandledAt,
        handledBy = fax.HandledBy,
    };
}
