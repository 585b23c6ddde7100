using CallCenter.Notices.Audio;
using Microsoft.Extensions.Logging;

namespace CallCenter.Notices;

/// <summary>
/// Makes an announcement from a checked draft: a recording converted to 8 kHz mono (NAudio), or a text
/// spoken by espeak-ng and converted the same way, then one row. Nothing is stored unless the audio
/// is whole; a refusal says why.
/// </summary>
public sealed class AnnouncementEditor
{
    private readonly AnnouncementStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<AnnouncementEditor> _logger;
    private readonly TextToSpeech _speech;

    public AnnouncementEditor(AnnouncementStore store, TimeProvider time, ILogger<AnnouncementEditor> logger)
        : this(store, time, logger, "espeak-ng")
    {
    }

    internal AnnouncementEditor(AnnouncementStore store, TimeProvider time, ILogger<AnnouncementEditor> logger, string espeak)
    {
        _store = store;
        _time = time;
        _logger = logger;
        _speech = new TextToSpeech(espeak);
    }

    /// <summary>The new announcement, or the field and reason it was refused.</summary>
    internal async Task<(Announcement? Made, string? Field, string? Error)> CreateAsync(
        AnnouncementDraft draft, byte[]? recording, string createdBy, string? seedKey, CancellationToken cancellationToken)
    {
        var (value, field, error) = draft.Check(_time.GetUtcNow());
        if (value is null)
        {
            NoticesLog.Refused(_logger, field!, error!);
            return (null, field, error);
        }

        var wav = recording;
        if (value.Text is { } text)
        {
            (wav, error) = await _speech.SpeakAsync(text, value.Language, cancellationToken);
            if (wav is null)
            {
                NoticesLog.SpeechFailed(_logger, error!);
                return (null, "text", error);
            }
        }

        var audio = TelephonyAudio.Convert(wav!, AnnouncementDraft.Longest);
        if (audio.Samples is null)
        {
            var where = value.Text is null ? "recording" : "text";
            NoticesLog.Refused(_logger, where, audio.Error!);
            return (null, where, audio.Error);
        }

        var source = value.Text is null ? Announcement.FromRecording : Announcement.FromText;
        var id = await _store.CreateAsync(value.Title, value.Language, source, value.Text, audio.Samples, value.StartsAt, value.EndsAt, _time.GetUtcNow(), createdBy, seedKey, cancellationToken);
        if (id is null)
        {
            return (null, null, null);
        }

        NoticesLog.Created(_logger, id.Value, source, value.Language, audio.Duration.TotalSeconds, createdBy);
        return (await _store.GetAsync(id.Value, cancellationToken), null, null);
    }
}
