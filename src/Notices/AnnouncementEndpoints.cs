using System.Text.Json;
using CallCenter.Notices.Audio;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using NAudio.Wave;

namespace CallCenter.Notices;

/// <summary>
/// /api/announcements on the host's /api group (API key, or a signed-in supervisor or admin). Reading
/// is open to the group; creating and deleting take an admin's session or the API key (403 for a
/// supervisor). POST takes multipart/form-data (title, language, startsAt, endsAt, and a WAV file
/// "recording" or a "text"), or JSON with a text; a refusal is 400 with the reason and its field, and stores nothing.
/// </summary>
internal static class AnnouncementEndpoints
{
    private static readonly FormOptions _form = new() { MultipartBodyLengthLimit = AnnouncementDraft.MaxRecordingBytes + (64 * 1024), ValueLengthLimit = 16 * 1024 };

    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/announcements");
        group.MapGet("", async (AnnouncementStore store, TimeProvider time, CancellationToken cancellationToken) =>
        {
            var now = time.GetUtcNow();
            return Results.Json((await store.ListAsync(cancellationToken)).Select(a => View(a, now)));
        });

        group.MapGet("/{id:long}", async (long id, AnnouncementStore store, TimeProvider time, CancellationToken cancellationToken) =>
            await store.GetAsync(id, cancellationToken) is { } a ? Results.Json(View(a, time.GetUtcNow())) : NotFound(id));

        group.MapGet("/{id:long}/audio", async (long id, AnnouncementStore store, CancellationToken cancellationToken) =>
            await store.GetAsync(id, cancellationToken) is not null && await store.AudioAsync(id, cancellationToken) is { } samples
                ? Results.File(Wav(samples), "audio/wav", $"announcement-{id}.wav")
                : NotFound(id));

        group.MapPost("", CreateAsync).RequireAuthorization(p => p.RequireRole("api", "admin"));

        group.MapDelete("/{id:long}", async (long id, HttpContext context, AnnouncementStore store, TimeProvider time, ILogger<AnnouncementEditor> logger, CancellationToken cancellationToken) =>
        {
            if (!await store.DeleteAsync(id, time.GetUtcNow(), cancellationToken))
            {
                return NotFound(id);
            }

            NoticesLog.Deleted(logger, id, Who(context));
            return Results.NoContent();
        }).RequireAuthorization(p => p.RequireRole("api", "admin"));
    }

    private static async Task<IResult> CreateAsync(HttpContext context, AnnouncementEditor editor, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = context.Request;
        AnnouncementDraft draft;
        byte[]? recording = null;
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(_form, cancellationToken);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
            {
                return Invalid("recording", $"the form could not be read: {e.Message}");
            }

            var file = form.Files.GetFile("recording");
            draft = new AnnouncementDraft(form["title"], form["language"], form["startsAt"], form["endsAt"], form["text"], file?.Length);
            if (file is not null && file.Length is > 0 and <= AnnouncementDraft.MaxRecordingBytes)
            {
                recording = new byte[file.Length];
                await using var stream = file.OpenReadStream();
                await stream.ReadExactlyAsync(recording, cancellationToken);
            }
        }
        else if (request.HasJsonContentType())
        {
            JsonText? body;
            try
            {
                body = await request.ReadFromJsonAsync<JsonText>(cancellationToken);
            }
            catch (JsonException)
            {
                body = null;
            }

            if (body is null)
            {
                return Invalid("text", "the body must be JSON: {\"title\", \"language\", \"text\", \"startsAt\", \"endsAt\"}, or multipart/form-data with a WAV file");
            }

            draft = new AnnouncementDraft(body.Title, body.Language, body.StartsAt, body.EndsAt, body.Text, null);
        }
        else
        {
            return Invalid("recording", "send multipart/form-data (title, language, startsAt, endsAt, and a WAV file recording or a text) or JSON with a text");
        }

        var (made, field, error) = await editor.CreateAsync(draft, recording, Who(context), seedKey: null, cancellationToken);
        return made is null
            ? Invalid(field ?? "recording", error ?? "not stored")
            : Results.Json(View(made, time.GetUtcNow()), statusCode: StatusCodes.Status201Created);
    }

    private static string Who(HttpContext context) => context.User.Identity?.Name ?? "unknown";

    private static object View(Announcement a, DateTimeOffset now) => new
    {
        id = a.Id,
        title = a.Title,
        language = a.Language,
        source = a.Source,
        text = a.Text,
        durationSeconds = Math.Round(a.Duration.TotalSeconds, 2),
        startsAt = a.StartsAt,
        endsAt = a.EndsAt,
        current = a.IsCurrentAt(now),
        createdAt = a.CreatedAt,
        createdBy = a.CreatedBy,
        audio = $"/api/announcements/{a.Id}/audio",
    };

    /// <summary>The stored audio as a WAV file (8 kHz mono 16-bit PCM) for an admin to listen to.</summary>
    private static byte[] Wav(short[] samples)
    {
        var memory = new MemoryStream();
        using (var writer = new WaveFileWriter(memory, new WaveFormat(TelephonyAudio.SampleRate, 16, 1)))
        {
            writer.WriteSamples(samples, 0, samples.Length);
        }

        // ToArray still answers once the writer has closed the stream (it finishes the header then).
        return memory.ToArray();
    }

    private static IResult NotFound(long id) => Results.Problem($"No announcement {id}.", statusCode: StatusCodes.Status404NotFound);

    private static IResult Invalid(string field, string problem) =>
        Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest, extensions: new Dictionary<string, object?> { ["field"] = field });

    private sealed record JsonText(string? Title, string? Language, string? Text, string? StartsAt, string? EndsAt);
}
