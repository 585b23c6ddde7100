using CallCenter.Data.Calls;

namespace CallCenter.Data.Tests;

public sealed class InterruptedCallTests
{
    private static readonly DateTimeOffset _start = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    [Test]
    public void TheEndIsTheLaterOfTheHeartbeatAndTheCallsLastUpdate()
    {
        var restart = _start.AddHours(1);

        Assert.That(InterruptedCall.EndOf(_start, _start.AddSeconds(20), _start.AddSeconds(30), restart), Is.EqualTo(_start.AddSeconds(30)));
        Assert.That(InterruptedCall.EndOf(_start, _start.AddSeconds(35), _start.AddSeconds(30), restart), Is.EqualTo(_start.AddSeconds(35)));
        Assert.That(InterruptedCall.EndOf(_start, null, _start.AddSeconds(30), restart), Is.EqualTo(_start.AddSeconds(30)));
        Assert.That(InterruptedCall.EndOf(_start, _start.AddSeconds(5), null, restart), Is.EqualTo(_start.AddSeconds(5)));
    }

    [Test]
    public void WithNothingKnownTheRestartEndsTheCallAndNoEndComesBeforeTheStartOrAfterTheRestart()
    {
        Assert.That(InterruptedCall.EndOf(_start, null, null, _start.AddMinutes(3)), Is.EqualTo(_start.AddMinutes(3)));
        Assert.That(InterruptedCall.EndOf(_start, null, _start.AddSeconds(-5), _start.AddMinutes(3)), Is.EqualTo(_start), "a heartbeat from before the call");
        Assert.That(InterruptedCall.EndOf(_start, _start.AddHours(2), null, _start.AddMinutes(3)), Is.EqualTo(_start.AddMinutes(3)), "a clock set back");
    }

    [Test]
    public void WithoutProgressTheRecordIsTheOpenRowWithTheRecordingFoundOnDisk()
    {
        var record = InterruptedCall.Close("c", "13800000005", "95500", _start, null, _start.AddSeconds(9), "/rec/c.wav", "ab");

        Assert.That(record.Disposition, Is.EqualTo("interrupted"));
        Assert.That(record.EndedAt, Is.EqualTo(_start.AddSeconds(9)));
        Assert.That((record.Recording, record.RecordingSha256), Is.EqualTo(("/rec/c.wav", "ab")));
        Assert.That(record.Agent, Is.Null);
    }

    [Test]
    public void ProgressIsKeptAndCountedToTheEndLessHold()
    {
        var progress = new CallRecord
        {
            Id = "c",
            Caller = "13800000001",
            Dialed = "95501",
            Tier = "Diamond",
            Queue = "vip",
            Agent = "1001",
            StartedAt = _start,
            EndedAt = _start.AddSeconds(12),
            QueuedAt = _start.AddSeconds(8),
            AnsweredAt = _start.AddSeconds(10),
            HoldSeconds = 5,
            Disposition = "in-progress",
            Legs =
            [
                new("caller", "13800000001", _start, _start, null, "in-progress"),
                new("agent", "1002", _start.AddSeconds(8), null, _start.AddSeconds(9), "rejected 486"),
                new("agent", "1001", _start.AddSeconds(9), _start.AddSeconds(10), null, "answered"),
            ],
        };

        var record = InterruptedCall.Close("c", "13800000001", "95501", _start, progress, _start.AddSeconds(40), "/rec/c.wav", "ab");

        Assert.That(record.Disposition, Is.EqualTo("interrupted"));
        Assert.That((record.Tier, record.Queue, record.Agent), Is.EqualTo(("Diamond", "vip", "1001")));
        Assert.That(record.WaitSeconds, Is.EqualTo(2));
        Assert.That(record.TalkSeconds, Is.EqualTo(25));
        Assert.That(record.Legs.Select(l => (l.Party, l.EndedAt, l.Outcome)), Is.EqualTo(new[]
        {
            ("13800000001", (DateTimeOffset?)_start.AddSeconds(40), "interrupted"),
            ("1002", (DateTimeOffset?)_start.AddSeconds(9), "rejected 486"),
            ("1001", (DateTimeOffset?)_start.AddSeconds(40), "answered"),
        }));
        Assert.That((record.Recording, record.RecordingSha256), Is.EqualTo(("/rec/c.wav", "ab")));
    }

    [Test]
    public void AShaFoundForAnotherFileIsNotPinnedOnTheProgresssRecording()
    {
        var progress = new CallRecord { Id = "c", Caller = "1", Dialed = "2", StartedAt = _start, EndedAt = _start, Disposition = "in-progress", Recording = "/a/c.wav" };

        var record = InterruptedCall.Close("c", "1", "2", _start, progress, _start, "/b/c.wav", "ab");

        Assert.That((record.Recording, record.RecordingSha256), Is.EqualTo(("/a/c.wav", (string?)null)));
    }

    [Test]
    public void ACallThatHadEndedAndWaitedForItsWrapUpKeepsItsOwnEnding()
    {
        var ended = new CallRecord
        {
            Id = "c",
            Caller = "1",
            Dialed = "2",
            Agent = "1001",
            StartedAt = _start,
            EndedAt = _start.AddSeconds(30),
            TalkSeconds = 20,
            Disposition = "caller-hung-up",
            Legs = [new("caller", "1", _start, _start, _start.AddSeconds(30), "caller-hung-up")],
        };

        var record = InterruptedCall.Close("c", "1", "2", _start, ended, _start.AddSeconds(90), "/rec/c.wav", "ab");

        Assert.That(record, Is.EqualTo(ended));
    }
}
