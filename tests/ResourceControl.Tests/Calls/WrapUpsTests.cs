using CallCenter.Contracts.Calls;
using CallCenter.Data;
using CallCenter.Data.Calls;
using CallCenter.Data.Desk;
using CallCenter.Data.Events;
using CallCenter.ResourceControl.Calls;
using CallCenter.ResourceControl.Records;
using CallCenter.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>Records and wrap-up: a record waits for its agent's wrap-up and is written once, with the code.</summary>
public sealed class WrapUpsTests
{
    private static readonly DateTimeOffset _t0 = TestCallFacts.T0;

    [Test]
    public async Task ARecordWithoutAnAgentInWrapUpIsWrittenAtOnce()
    {
        var (wrapUps, agents, sink) = Create();

        await wrapUps.CallEndedAsync(Record("c1", agent: null));
        await wrapUps.CallEndedAsync(Record("c2", agent: "1001")); // 1001 is not wrapping c2 up

        Assert.That(sink.Written.Select(r => r.Id), Is.EqualTo(new[] { "c1", "c2" }));
        Assert.That(wrapUps.Waiting, Is.Zero);
    }

    [Test]
    public async Task ARecordWaitsForTheWrapUpAndGoesOnceWithItsLength()
    {
        var (wrapUps, agents, sink) = Create();
        agents.Wrapping.Add(("1001", "c1"));

        await wrapUps.CallEndedAsync(Record("c1", agent: "1001"));
        Assert.That(sink.Written, Is.Empty, "held while the agent wraps up");

        agents.Wrapping.Clear();
        await wrapUps.WrapUpEndedAsync("c1", 12.5);
        await wrapUps.WrapUpEndedAsync("c1", 99); // a second end (timer and desk crossing) writes nothing more

        Assert.That(sink.Written, Has.Count.EqualTo(1));
        Assert.That(sink.Written[0].WrapUpSeconds, Is.EqualTo(12.5));
    }

    [Test]
    public async Task AWaitingRecordKeepsItsSipCallIdForTheLogsUntilItIsWritten()
    {
        var (wrapUps, agents, _) = Create();
        agents.Wrapping.Add(("1001", "c1"));

        await wrapUps.CallEndedAsync(Record("c1", agent: "1001"), "abc@10.0.0.1");
        Assert.That(wrapUps.SipCallIdOf("c1"), Is.EqualTo("abc@10.0.0.1"));

        agents.Wrapping.Clear();
        await wrapUps.WrapUpEndedAsync("c1", 1);
        Assert.That(wrapUps.SipCallIdOf("c1"), Is.Null, "forgotten with the record");
    }

    [Test]
    public async Task TheDesksCodeGoesOnTheWaitingRecordAndEndsTheWrapUp()
    {
        var (wrapUps, agents, sink) = Create();
        agents.Wrapping.Add(("1001", "c1"));
        await wrapUps.CallEndedAsync(Record("c1", agent: "1001"));

        var result = await wrapUps.WrapUpEndedCallAsync("1001", "c1", "query", "asked about margin");

        Assert.That(result.Error, Is.EqualTo(CallControlError.None));
        Assert.That(agents.Ended, Is.EqualTo(new[] { ("1001", "c1") }));

        // Presence raises the end of the wrap-up, which writes the record with the code.
        await wrapUps.WrapUpEndedAsync("c1", 3);
        Assert.That(sink.Written.Single().WrapUpCode, Is.EqualTo("query"));
        Assert.That(sink.Written.Single().WrapUpNotes, Is.EqualTo("asked about margin"));
    }

    [TestCase("wrong-number", "wrong-number")]
    [TestCase("refused", "refused")]
    [TestCase("query", "reached")]
    public async Task AnOutboundCallsRecordTakesTheAgentsWrongNumberOrRefusalAsItsOutcome(string code, string outcome)
    {
        var (wrapUps, agents, sink) = Create();
        agents.Wrapping.Add(("1001", "out"));
        agents.Wrapping.Add(("1001", "in"));
        agents.Wrapping.Add(("1001", "busy"));
        await wrapUps.CallEndedAsync(Record("out", agent: "1001") with { Direction = CallDirections.Outbound, Outcome = "reached" });
        await wrapUps.CallEndedAsync(Record("in", agent: "1001"));
        await wrapUps.CallEndedAsync(Record("busy", agent: "1001") with { Direction = CallDirections.Outbound, Outcome = "busy" });

        foreach (var id in new[] { "out", "in", "busy" })
        {
            await wrapUps.WrapUpEndedCallAsync("1001", id, code, null);
            await wrapUps.WrapUpEndedAsync(id, 2);
        }

        Assert.Multiple(() =>
        {
            Assert.That(sink.Written.Single(r => r.Id == "out").Outcome, Is.EqualTo(outcome), "the client's side answered, the agent says who it was");
            Assert.That(sink.Written.Single(r => r.Id == "out").WrapUpCode, Is.EqualTo(code), "the code stays as given");
            Assert.That(sink.Written.Single(r => r.Id == "in").Outcome, Is.Null, "an inbound call has no outcome to change");
            Assert.That(sink.Written.Single(r => r.Id == "busy").Outcome, Is.EqualTo("busy"), "a call nobody answered keeps its outcome");
        });

        // The day's figures count the records as written: a wrong number or a refusal rang the client but is no contact.
        var period = new ResourceControl.Metrics.MetricsPeriod(_t0.AddHours(-1), _t0.AddHours(1), _t0.AddHours(1), IntervalMinutes: 60, ServiceLevelSeconds: 20);
        var outbound = ResourceControl.Metrics.MetricsCalculator.Compute(sink.Written, [], period).Outbound;
        Assert.That((outbound.Attempts, outbound.Contacts), Is.EqualTo((2, outcome == "reached" ? 1 : 0)));
    }

    [Test]
    public void AnAgentWhoTransferredAPlacedCallAwayGivesTheLiveCallTheirWrongNumberAndAStrangerNothing()
    {
        var (wrapUps, agents, _) = Create();
        agents.Wrapping.Add(("1001", "c1"));
        IReadOnlyList<CallLeg> legs = [new CallLeg("agent", "1001", _t0, _t0.AddSeconds(2), _t0.AddSeconds(20), "transferred")];

        var (left, outcome) = wrapUps.WrapUpLeftCall("1001", "c1", "wrong-number", "not the client", legs);
        var (_, stranger) = wrapUps.WrapUpLeftCall("1003", "c1", "wrong-number", null, legs);
        var (_, plain) = wrapUps.WrapUpLeftCall("1001", "c1", "query", null, legs);

        Assert.Multiple(() =>
        {
            Assert.That(left.Error, Is.EqualTo(CallControlError.None));
            Assert.That(agents.Ended, Is.EqualTo(new[] { ("1001", "c1") }), "the agent's wrap-up ends");
            Assert.That(outcome, Is.EqualTo("wrong-number"), "the call keeps it for its record");
            Assert.That(stranger, Is.Null, "an agent who never had the call says nothing of it");
            Assert.That(plain, Is.Null, "a code that is no outcome changes nothing");
        });
    }

    [Test]
    public async Task AnAgentWhoTransferredAPlacedCallAwayAndWrapsUpAfterItEndedGivesItsRecordTheirRefusal()
    {
        var (wrapUps, agents, sink) = Create();
        agents.Wrapping.Add(("1001", "c1"));
        agents.Wrapping.Add(("1002", "c1"));
        await wrapUps.CallEndedAsync(Transferred("c1"));

        var stranger = await wrapUps.WrapUpEndedCallAsync("1003", "c1", "refused", null);
        var first = await wrapUps.WrapUpEndedCallAsync("1001", "c1", "refused", "hung up on us");
        var last = await wrapUps.WrapUpEndedCallAsync("1002", "c1", "query", "asked about fees");
        await wrapUps.WrapUpEndedAsync("c1", 4);

        Assert.Multiple(() =>
        {
            Assert.That(stranger.Error, Is.EqualTo(CallControlError.UnknownCall), "another agent cannot");
            Assert.That(first.Error, Is.EqualTo(CallControlError.None), first.Message);
            Assert.That(last.Error, Is.EqualTo(CallControlError.None), last.Message);
            Assert.That(agents.Ended, Is.EquivalentTo(new[] { ("1001", "c1"), ("1002", "c1") }));
            var record = sink.Written.Single();
            Assert.That(record.Outcome, Is.EqualTo("refused"), "the transferring agent's word on the client");
            Assert.That((record.WrapUpCode, record.WrapUpNotes), Is.EqualTo(("query", "asked about fees")), "the code is the last agent's");
        });
    }

    [Test]
    public async Task AnAgentWhoTransferredAPlacedCallAwayAndWrapsUpAfterItsRecordWasWrittenGivesItTheirWrongNumber()
    {
        await using var db = await TestDatabase.CreateAsync("sqlite");
        await new Migrator(db.Factory).MigrateAsync();
        var (wrapUps, _, sink) = Create(db.Factory);
        var records = new CallRecordRepository(db.Factory);
        await records.InsertOnceAsync(Transferred("c1"));
        await records.InsertOnceAsync(Transferred("c2") with { Outcome = "busy" });

        var result = await wrapUps.WrapUpEndedCallAsync("1001", "c1", "wrong-number", null);
        var notReached = await wrapUps.WrapUpEndedCallAsync("1001", "c2", "wrong-number", null);
        var stranger = await wrapUps.WrapUpEndedCallAsync("1003", "c1", "refused", null);

        var (c1, c2) = (await records.FindAsync("c1"), await records.FindAsync("c2"));
        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo(CallControlError.None), result.Message);
            Assert.That(notReached.Error, Is.EqualTo(CallControlError.None), notReached.Message);
            Assert.That(stranger.Error, Is.EqualTo(CallControlError.UnknownCall));
            Assert.That(c1?.Outcome, Is.EqualTo("wrong-number"));
            Assert.That(c1?.WrapUpCode, Is.Null, "the code stays the last agent's to give");
            Assert.That(c2?.Outcome, Is.EqualTo("busy"), "only a reached call takes it");
        });
    }

    [Test]
    public async Task AnotherAgentCannotWrapUpTheRecord()
    {
        var (wrapUps, agents, sink) = Create();
        agents.Wrapping.Add(("1001", "c1"));
        await wrapUps.CallEndedAsync(Record("c1", agent: "1001"));

        var result = await wrapUps.WrapUpEndedCallAsync("1002", "c1", "query", null);

        Assert.That(result.Error, Is.EqualTo(CallControlError.UnknownCall));
        Assert.That(agents.Ended, Is.Empty);
        Assert.That(wrapUps.Waiting, Is.EqualTo(1));
    }

    [Test]
    public async Task AWrapUpThatEndedBetweenTheLookAndTheStoreDoesNotStrandTheRecord()
    {
        var (wrapUps, agents, sink) = Create();
        agents.Wrapping.Add(("1001", "c1"));
        agents.StopWrappingAfterLooks = 1;

        await wrapUps.CallEndedAsync(Record("c1", agent: "1001"));

        Assert.That(sink.Written.Select(r => r.Id), Is.EqualTo(new[] { "c1" }));
        Assert.That(wrapUps.Waiting, Is.Zero);
    }

    [Test]
    public async Task ShutdownWritesEveryWaitingRecord()
    {
        var (wrapUps, agents, sink) = Create();
        agents.Wrapping.Add(("1001", "c1"));
        agents.Wrapping.Add(("1002", "c2"));
        await wrapUps.CallEndedAsync(Record("c1", agent: "1001"));
        await wrapUps.CallEndedAsync(Record("c2", agent: "1002"));

        await wrapUps.FlushAsync();

        Assert.That(sink.Written.Select(r => r.Id), Is.EquivalentTo(new[] { "c1", "c2" }));
        Assert.That(wrapUps.Waiting, Is.Zero);
    }

    private static CallRecord Record(string id, string? agent) => new()
    {
        Id = id,
        Caller = "13800000001",
        Dialed = "95500",
        Agent = agent,
        StartedAt = _t0,
        EndedAt = _t0.AddSeconds(60),
        Disposition = "caller-hung-up",
    };

    /// <summary>An outbound call the client answered: agent 1001 had it and transferred it to 1002, who ended it.</summary>
    private static CallRecord Transferred(string id) => Record(id, agent: "1002") with
    {
        Direction = CallDirections.Outbound,
        Outcome = "reached",
        Legs =
        [
            new CallLeg("agent", "1001", _t0, _t0.AddSeconds(2), _t0.AddSeconds(20), "transferred"),
            new CallLeg("agent", "1002", _t0.AddSeconds(20), _t0.AddSeconds(22), _t0.AddSeconds(60), "answered"),
        ],
    };

    private static (WrapUps WrapUps, FakeAgents Agents, ListSink Sink) Create(DbConnectionFactory? database = null)
    {
        // Without a database the repositories are not reached by these paths.
        var factory = database ?? new DbConnectionFactory(new DatabaseOptions { ConnectionString = "Data Source=:memory:" });
        var time = new ManualTimeProvider(_t0.AddSeconds(70));
        var agents = new FakeAgents();
        var sink = new ListSink();
        var events = new EventLog(time);
        return (new WrapUps(agents, sink, new CallRecordRepository(factory), new DispositionCodeRepository(factory), events, time), agents, sink);
    }

    private sealed class FakeAgents : IWrapUpAgents
    {
        public HashSet<(string Agent, string CallId)> Wrapping { get; } = [];

        public List<(string Agent, string CallId)> Ended { get; } = [];

        // The wrap-up ends by itself after this many looks (a timer firing between two of them).
        public int StopWrappingAfterLooks { get; set; } = int.MaxValue;

        public bool IsWrappingUp(string agent, string callId)
        {
            if (StopWrappingAfterLooks-- <= 0)
            {
                Wrapping.Clear();
            }

            return Wrapping.Contains((agent, callId));
        }

        public void EndWrapUp(string agent, string callId)
        {
            if (Wrapping.Remove((agent, callId)))
            {
                Ended.Add((agent, callId));
            }
        }
    }

    private sealed class ListSink : ICallRecordSink
    {
        public List<CallRecord> Written { get; } = [];

        public ValueTask EnqueueAsync(CallRecord record)
        {
            Written.Add(record);
            return ValueTask.CompletedTask;
        }
    }
}
