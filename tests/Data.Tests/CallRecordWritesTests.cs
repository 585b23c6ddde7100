using CallCenter.Data.Calls;

namespace CallCenter.Data.Tests;

/// <summary>Which writes of a batch are left out because a later one in the same transaction makes them moot.</summary>
public sealed class CallRecordWritesTests
{
    private static readonly DateTimeOffset _t0 = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private static CallRecord Record(string id, string disposition = "caller-hung-up") => new()
    {
        Id = id,
        Caller = "13800000001",
        Dialed = "95500",
        StartedAt = _t0,
        EndedAt = _t0.AddSeconds(30),
        Disposition = disposition,
    };

    private static CallRecordWrite Open(string id) => new(id, null, ("13800000001", "95500", _t0));

    private static CallRecordWrite Progress(string id, int second) => CallRecordWrite.Progressed(Record(id, "in-progress"), _t0.AddSeconds(second));

    [Test]
    public void ACallsOpenRowAndProgressGoWhenItsRecordIsInTheSameBatch()
    {
        var record = new CallRecordWrite("a", Record("a"), null);
        var alive = CallRecordWrite.Alive(_t0.AddSeconds(2), _t0);
        CallRecordWrite[] batch = [Open("a"), Open("b"), Progress("a", 1), alive, Progress("b", 1), Progress("a", 30), record, Progress("a", 31)];

        var kept = CallRecordWrites.Coalesce(batch);

        Assert.That(kept, Is.EqualTo(new[] { batch[1], alive, batch[4], record }));
    }

    [Test]
    public void OnlyTheNewestProgressOfACallStaysEvenWhenAnOlderOneComesLater()
    {
        CallRecordWrite[] batch = [Progress("a", 5), Progress("b", 1), Progress("a", 9), Progress("a", 7), Progress("b", 1)];

        var kept = CallRecordWrites.Coalesce(batch);

        Assert.That(kept, Is.EqualTo(new[] { batch[2], batch[4] }), "a's newest by time; of b's two at the same time, the last, as the updates in order would leave");
    }

    [Test]
    public void ABatchWithNothingMootIsKeptAsItIs()
    {
        CallRecordWrite[] batch = [Open("a"), Progress("a", 1), new CallRecordWrite("b", Record("b"), null), CallRecordWrite.Alive(_t0, _t0)];

        Assert.That(CallRecordWrites.Coalesce(batch), Is.SameAs(batch));
    }
}
