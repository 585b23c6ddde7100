using System.Globalization;
using CallCenter.AgentDesk.Admin;
using CallCenter.AgentDesk.Recordings;
using CallCenter.Data.Calls;
using CallCenter.Data.Desk;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace CallCenter.AgentDesk.Endpoints;

/// <summary>
/// Recordings for supervisors and admins (the /api group's policy: an agent's session gets 403):
/// <c>GET /api/recordings</c> searches calls; <c>GET /api/recordings/audit?id=</c> lists who played, downloaded or deleted recordings; <c>GET /api/recordings/{id}/audio</c> plays one in the browser
/// (HTTP range requests, so the player can seek) and <c>GET /api/recordings/{id}/download</c> saves it.
/// Each fetch checks the file against its SHA-256 first (<see cref="RecordingLibrary"/>) and is written to
/// the audit log, served or refused, with who and when.
/// </summary>
internal static class RecordingsEndpoints
{
    public const string PlayAction = "recording.play";
    public const string DownloadAction = "recording.download";
    public const int MaxNumberLength = 32;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/recordings", SearchAsync);
        api.MapGet("/recordings/audit", async (string? id, int? limit, AuditRepository audit, CancellationToken cancellationToken) =>
        {
            var take = limit ?? 100;
            if (take is < 1 or > RecordingRepository.MaxLimit)
            {
                return Results.Problem($"limit must be between 1 and {RecordingRepository.MaxLimit}.", statusCode: StatusCodes.Status400BadRequest);
            }

            var rows = await audit.ListAsync("recording.", Blank(id), take, cancellationToken);
            return Results.Json(rows.Select(a => new { at = a.At, actor = a.Actor, role = a.Role, action = a.Action, id = a.Target, outcome = a.Outcome, detail = a.Detail }));
        });
        api.MapGet("/recordings/{id}/audio", (string id, HttpContext context, RecordingLibrary library, AuditRepository audit, TimeProvider time, ILogger<RecordingLibrary> logger) =>
            FetchAsync(id, PlayAction, context, library, audit, time, logger));
        api.MapGet("/recordings/{id}/download", (string id, HttpContext context, RecordingLibrary library, AuditRepository audit, TimeProvider time, ILogger<RecordingLibrary> logger) =>
            FetchAsync(id, DownloadAction, context, library, audit, time, logger));
    }

    private static async Task<IResult> SearchAsync(
        string? from, string? to, string? number, string? agent, string? queue, string? tier, string? disposition, bool? recorded, int? limit,
        RecordingRepository recordings, CancellationToken cancellationToken)
    {
        var take = limit ?? 100;
        if (take is < 1 or > RecordingRepository.MaxLimit)
        {
            return Results.Problem($"limit must be between 1 and {RecordingRepository.MaxLimit}.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (!TryTime(from, out var fromAt) || !TryTime(to, out var toAt))
        {
            return Results.Problem("from and to must be ISO 8601 times with an offset, such as 2026-12-04T08:00:00+08:00.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (number is { Length: > 0 } && (number.Length > MaxNumberLength || !number.All(c => char.IsAsciiDigit(c) || c is '+' or '*' or '#')))
        {
            return Results.Problem($"number may hold only digits, '+', '*' and '#' (at most {MaxNumberLength}).", statusCode: StatusCodes.Status400BadRequest);
        }

        var query = new RecordingQuery(fromAt, toAt, Blank(number), Blank(agent), Blank(queue), Blank(tier), Blank(disposition), recorded ?? false, take);
        var found = await recordings.SearchAsync(query, cancellationToken);
        return Results.Json(found.Select(ToJson));
    }

    private static async Task<IResult> FetchAsync(string id, string action, HttpContext context, RecordingLibrary library, AuditRepository audit, TimeProvider time, ILogger logger)
    {
        var actor = AdminActor.Of(context.User);
        var cancellationToken = context.RequestAborted;
        // A ranged play that starts after the first byte is a seek: a recent whole check of the
        // unchanged file serves it (RecordingLibrary). A player's first fetch (bytes=0-) is a whole play.
        var ranged = action == PlayAction && IsSeek(context.Request.GetTypedHeaders().Range);
        var (entry, check) = await library.OpenAsync(id, ranged, cancellationToken);
        if (!check.Served)
        {
            // An id that is not a call id is not echoed into the log or the audit as given.
            var target = RecordingLibrary.IsCallId(id) ? id : "(not a call id)";
            AgentDeskLog.RecordingRefused(logger, target, action, actor.Name, actor.Role, check.Refusal.ToString());
            await audit.AppendAsync(new AuditEntry(time.GetUtcNow(), actor.Name, actor.Role, action, target, AuditEntry.Refused, check.Detail), CancellationToken.None);
            var status = check.Refusal switch
            {
                RecordingRefusal.UnknownCall or RecordingRefusal.NotRecorded or RecordingRefusal.Missing => StatusCodes.Status404NotFound,
                RecordingRefusal.Deleted => StatusCodes.Status410Gone,
                _ => StatusCodes.Status409Conflict,
            };
            return Results.Problem(check.Detail, statusCode: status, title: "Recording refused", extensions: new Dictionary<string, object?> { ["reason"] = Reason(check.Refusal) });
        }

        // The client's Range header goes into the log and the audit: at most 100 characters of it.
        var range = context.Request.Headers.Range.ToString();
        range = range.Length <= 100 ? range : range[..100] + "…";
        AgentDeskLog.RecordingServed(logger, entry!.Id, action, actor.Name, actor.Role, range.Length == 0 ? null : range);
        await audit.AppendAsync(
            new AuditEntry(time.GetUtcNow(), actor.Name, actor.Role, action, entry.Id, AuditEntry.Done, $"sha256 {check.Sha256}" + (range.Length == 0 ? "" : $", range {range}")),
            CancellationToken.None);
        context.Response.Headers["Repr-Digest"] = RecordingLibrary.ReprDigest(check.Sha256!);
        context.Response.Headers["X-Recording-Sha256"] = check.Sha256;
        context.Response.Headers.CacheControl = "no-store";
        return Results.Stream(check.File!, "audio/wav", action == DownloadAction ? entry.Id + ".wav" : null, enableRangeProcessing: true);
    }

    /// <summary>One byte range that does not start at the file's first byte (a suffix range counts from the end).</summary>
    private static bool IsSeek(Microsoft.Net.Http.Headers.RangeHeaderValue? range) =>
        range is { Ranges.Count: 1 } && range.Ranges.Single() is { } only && (only.From is > 0 || (only.From is null && only.To is not null));

    private static string Reason(RecordingRefusal refusal) => refusal switch
    {
        RecordingRefusal.UnknownCall => "unknown-call",
        RecordingRefusal.NotRecorded => "not-recorded",
        RecordingRefusal.Deleted => "deleted",
        RecordingRefusal.Changed => "hash-mismatch",
        RecordingRefusal.Missing => "missing",
        RecordingRefusal.Outside => "outside",
        _ => "refused",
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static bool TryTime(string? value, out DateTimeOffset? at)
    {
        at = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            at = parsed;
            return true;
        }

        return false;
    }

    /// <summary>A call as the recordings page lists it; the file's path stays on the server.</summary>
    private static object ToJson(RecordingEntry e) => new
    {
        id = e.Id,
        caller = e.Caller,
        dialed = e.Dialed,
        tier = e.Tier,
        queue = e.Queue,
        agent = e.Agent,
        startedAt = e.StartedAt,
        endedAt = e.EndedAt,
        talkSeconds = e.TalkSeconds,
        disposition = e.Disposition,
        wrapUpCode = e.WrapUpCode,
        recording = e.State,
        recordingSha256 = e.RecordingSha256,
        recordingDeletedAt = e.RecordingDeletedAt,
        recordingDeletedBy = e.RecordingDeletedBy,
        recordingFlag = e.RecordingFlag,
        recordingFlaggedAt = e.RecordingFlaggedAt,
        audioUrl = e.AudioUrl,
        downloadUrl = e.Recording is null ? null : $"/api/recordings/{Uri.EscapeDataString(e.Id)}/download",
    };
}
