using System.Text.Json;
using CallCenter.Data.CallLists;
using CallCenter.Data.Calls;
using CallCenter.Data.Events;
using CallCenter.FaxSms.Outbox;

namespace CallCenter.ResourceControl.Outbound;

/// <summary>
/// The proof of notice of a call list entry, in one place (<c>GET /api/call-lists/entries/{id}</c>'s <c>proof</c>):
/// how the client was told and when, by whom, and the recording. <see cref="Sms"/> is a risk notice's SMS as the
/// outbox has it (null for an entry that sent none); <see cref="Call"/> is the call that reached the client (null
/// until the entry is reached): its agent, the client's number (E.164) and the trunk, when the agent and then the client
/// answered (the client's answer from the event log's <c>call.client-answered</c>), when it ended (null while the
/// call is on: its record is written when it ends), its outcome, and the recording with its SHA-256, whether the file is
/// still kept (<c>kept</c>, <c>deleted</c> with the time, <c>flagged</c> when it no longer matches its SHA-256, <c>none</c>)
/// and where a supervisor plays it.
/// </summary>
internal sealed record NoticeProof(NoticeProof.SmsProof? Sms, NoticeProof.CallProof? Call)
{
    /// <summary>The SMS: its outbox id and recipient, when it was queued, its status now and since when.</summary>
    public sealed record SmsProof(string MessageId, string? To, DateTimeOffset? QueuedAt, string? Status, DateTimeOffset? StatusAt);

    /// <summary>The call that reached the client.</summary>
    public sealed record CallProof(
        string CallId,
        string? Agent,
        string? Number,
        string? Trunk,
        DateTimeOffset? AgentAnsweredAt,
        DateTimeOffset? AnsweredAt,
        DateTimeOffset? EndedAt,
        string? Outcome,
        string? Recording,
        string? RecordingSha256,
        string? RecordingState = null,
        DateTimeOffset? RecordingDeletedAt = null,
        string? RecordingUrl = null);

    /// <summary>Reads what the proof is made of (the SMS's outbox row, the reached call's record and events) and builds it.</summary>
    public static async Task<NoticeProof> LoadAsync(CallListEntryRow entry, OutboxRepository outbox, CallRecordRepository records, EventRepository events, RecordingRepository recordings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(recordings);
        var message = entry.NoticeMessageId is { } messageId ? await outbox.GetAsync(messageId, cancellationToken) : null;
        var callId = ReachedCall(entry);
        var record = callId is null ? null : await records.FindAsync(callId, cancellationToken);
        var callEvents = callId is null ? [] : await events.ListForCallAsync(callId, cancellationToken);
        var kept = record is null ? null : await recordings.FindAsync(record.Id, cancellationToken);
        return Build(entry, message, record, callEvents, kept);
    }

    /// <summary>The call that reached the client: the entry's last call once the entry is reached; null before.</summary>
    public static string? ReachedCall(CallListEntryRow entry) =>
        entry is { Status: CallListStatuses.Reached, LastCallId: { } callId } ? callId : null;

    /// <summary>
    /// The proof from its parts (pure): <paramref name="message"/> is the entry's SMS in the outbox (null when the
    /// entry sent none or the row is gone), <paramref name="record"/> the reached call's record (null while the call
    /// is on), <paramref name="callEvents"/> that call's events in log order, <paramref name="kept"/> what the recordings
    /// know of its file now (null: not read).
    /// </summary>
    public static NoticeProof Build(CallListEntryRow entry, MessageView? message, CallRecord? record, IReadOnlyList<PlatformEvent> callEvents, RecordingEntry? kept = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(callEvents);
        var sms = entry.NoticeMessageId is not { } messageId
            ? null
            : new SmsProof(
                messageId,
                message?.Recipient,
                entry.NoticeSentAt,
                message?.Status,
                message is null ? null : message.History.Count > 0 ? message.History[^1].At : message.CreatedAt);

        CallProof? call = null;
        if (ReachedCall(entry) is { } callId)
        {
            var answered = callEvents.FirstOrDefault(e => e.Kind == EventKind.CallClientAnswered.Value);
            var rang = callEvents.LastOrDefault(e => e.Kind == EventKind.CallClientRinging.Value && (answered is null || e.Seq <= answered.Seq));
            call = new CallProof(
                callId,
                record?.Agent ?? answered?.Agent,
                DetailOf(answered, "number") ?? DetailOf(rang, "number") ?? record?.Dialed,
                DetailOf(rang, "trunk"),
                record?.AnsweredAt,
                answered?.At,
                record?.EndedAt,
                record?.Outcome ?? entry.Outcome,
                record?.Recording,
                record?.RecordingSha256,
                kept?.State,
                kept?.RecordingDeletedAt,
                kept?.AudioUrl);
        }

        return new NoticeProof(sms, call);
    }

    /// <summary>A string field of an event's JSON detail, or null.</summary>
    private static string? DetailOf(PlatformEvent? e, string field)
    {
        if (e?.Detail is not { } detail)
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(detail);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
