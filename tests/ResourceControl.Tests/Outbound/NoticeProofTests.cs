using CallCenter.Data.CallLists;
using CallCenter.Data.Calls;
using CallCenter.Data.Events;
using CallCenter.FaxSms.Outbox;
using CallCenter.ResourceControl.Outbound;

namespace CallCenter.ResourceControl.Tests.Outbound;

/// <summary>
/// The proof of notice of a call list entry from its parts: the SMS as the outbox has it, the call that reached the
/// client (its record, and the client's answer from the event log), and null parts where there is nothing to prove.
/// </summary>
public sealed class NoticeProofTests
{
    private static readonly DateTimeOffset _t0 = new(2026, 12, 6, 2, 0, 0, TimeSpan.Zero);

    private static CallListEntryRow Entry(string status, string? lastCallId = null, string? messageId = null) => new()
    {
        Id = "le-1",
        ListId = "list-risk-notice",
        Number = "13900000052",
        DueBy = _t0.AddHours(1),
        Status = status,
        Attempts = lastCallId is null ? 0 : 1,
        Outcome = status == CallListStatuses.Reached ? "reached" : null,
        LastCallId = lastCallId,
        NoticeMessageId = messageId,
        NoticeSentAt = messageId is null ? null : _t0,
        CreatedAt = _t0,
        UpdatedAt = _t0,
    };

    private static readonly PlatformEvent[] _events =
    [
        new(_t0.AddSeconds(1), EventKind.CallClientRinging.Value, "c-1", "1001", "{\"callback\":\"cb-1\",\"number\":\"+8613900000052\",\"trunk\":\"backup\"}") { Seq = 10 },
        new(_t0.AddSeconds(3), EventKind.CallClientAnswered.Value, "c-1", "1001", "{\"callback\":\"cb-1\",\"number\":\"+8613900000052\"}") { Seq = 11 },
        new(_t0.AddSeconds(9), EventKind.CallClientRinging.Value, "c-1", "1001", "{\"trunk\":\"later\"}") { Seq = 12 },
    ];

    [Test]
    public void AReachedRiskNoticeProvesTheSmsAndTheCallThatReachedTheClient()
    {
        var message = new MessageView("m-1", "sms", "+8613900000052", null, "sent", 1, null, _t0,
            [new MessageHistoryEntry(_t0, "queued", null), new MessageHistoryEntry(_t0.AddSeconds(2), "sent", "gateway id 7")]);
        var record = new CallRecord
        {
            Id = "c-1",
            Caller = "13900000052",
            Dialed = "13900000052",
            Direction = CallDirections.Outbound,
            Agent = "1001",
            StartedAt = _t0,
            AnsweredAt = _t0.AddSeconds(1),
            EndedAt = _t0.AddSeconds(30),
            Disposition = "completed",
            Outcome = "reached",
            Recording = "recordings/c-1.wav",
            RecordingSha256 = "ab12",
        };

        var proof = NoticeProof.Build(Entry(CallListStatuses.Reached, "c-1", "m-1"), message, record, _events);

        Assert.That(proof.Sms, Is.EqualTo(new NoticeProof.SmsProof("m-1", "+8613900000052", _t0, "sent", _t0.AddSeconds(2))));
        Assert.That(proof.Call, Is.EqualTo(new NoticeProof.CallProof(
            "c-1", "1001", "+8613900000052", "backup", _t0.AddSeconds(1), _t0.AddSeconds(3), _t0.AddSeconds(30), "reached", "recordings/c-1.wav", "ab12")));
    }

    [Test]
    public void TheProofSaysWhetherTheRecordingIsStillKeptAndWhereToPlayIt()
    {
        var record = new CallRecord
        {
            Id = "c-1",
            Caller = "13900000052",
            Dialed = "13900000052",
            StartedAt = _t0,
            EndedAt = _t0.AddSeconds(30),
            Disposition = "completed",
            Recording = "recordings/c-1.wav",
            RecordingSha256 = "ab12",
        };
        RecordingEntry Kept(DateTimeOffset? deletedAt = null, string? flag = null, string? path = "recordings/c-1.wav") => new()
        {
            Id = "c-1",
            Caller = "13900000052",
            Dialed = "13900000052",
            StartedAt = _t0,
            EndedAt = _t0.AddSeconds(30),
            Disposition = "completed",
            Recording = path,
            RecordingSha256 = "ab12",
            RecordingDeletedAt = deletedAt,
            RecordingFlag = flag,
        };
        NoticeProof.CallProof Call(RecordingEntry? kept) => NoticeProof.Build(Entry(CallListStatuses.Reached, "c-1"), null, record, _events, kept).Call!;

        Assert.Multiple(() =>
        {
            Assert.That((Call(Kept()).RecordingState, Call(Kept()).RecordingUrl), Is.EqualTo(("kept", "/api/recordings/c-1/audio")));
            Assert.That((Call(Kept(_t0.AddDays(400))).RecordingState, Call(Kept(_t0.AddDays(400))).RecordingDeletedAt), Is.EqualTo(("deleted", (DateTimeOffset?)_t0.AddDays(400))));
            Assert.That(Call(Kept(flag: "hash-mismatch")).RecordingState, Is.EqualTo("flagged"), "a file that no longer matches its SHA-256 is no proof as it stands");
            Assert.That((Call(Kept(path: null)).RecordingState, Call(Kept(path: null)).RecordingUrl), Is.EqualTo(("none", (string?)null)));
        });
    }

    [Test]
    public void AnEntryNotReachedHasNoCallProofEvenWithALastCall()
    {
        var proof = NoticeProof.Build(Entry(CallListStatuses.Open, "c-1", "m-1"), null, null, _events);

        Assert.That(proof.Call, Is.Null, "a call that did not reach the client proves no notice");
        Assert.That(proof.Sms, Is.EqualTo(new NoticeProof.SmsProof("m-1", null, _t0, null, null)), "the entry's SMS id and time stand even when the outbox row is gone");
        Assert.That(NoticeProof.Build(Entry(CallListStatuses.Failed, "c-1"), null, null, _events).Call, Is.Null);
    }

    [Test]
    public void AnEntryWithoutAnSmsHasNoSmsProof()
    {
        Assert.That(NoticeProof.Build(Entry(CallListStatuses.Open), null, null, []), Is.EqualTo(new NoticeProof(null, null)));
    }

    [Test]
    public void AReachedCallStillOnIsProvenByItsEventsUntilItsRecordIsWritten()
    {
        var proof = NoticeProof.Build(Entry(CallListStatuses.Reached, "c-1"), null, null, _events);

        Assert.That(proof.Call, Is.EqualTo(new NoticeProof.CallProof("c-1", "1001", "+8613900000052", "backup", null, _t0.AddSeconds(3), null, "reached", null, null)));
    }
}
