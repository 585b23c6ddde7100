using System.Net;
using CallCenter.Contracts.Agents;
using CallCenter.Data;
using CallCenter.Data.Callbacks;
using CallCenter.Data.CallLists;
using CallCenter.Data.Calls;
using CallCenter.Data.Catalog;
using CallCenter.ResourceControl.Outbound;
using CallCenter.ResourceControl.Queues;
using CallCenter.ResourceControl.Routing;
using CallCenter.Telephony;
using CallCenter.Telephony.Transport;
using CallCenter.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallCenter.ResourceControl.Tests.Outbound;

/// <summary>
/// A callback booked for a person (<see cref="CallbackBooking"/>, the API's and the desk's) takes the client's tier,
/// language and account manager from the directory, as a caller's call does; a manager the client denied on a
/// new-account call is not the one it waits for. A supervisor's booking from the wallboard (<see cref="Contracts.Calls.ISupervisorCallbacks"/>)
/// has the API's checks and reasons, a time and the owner's cap, and any waiting callback may be cancelled through it.
/// </summary>
public sealed class CallbackBookingTests
{
    private static readonly DateTimeOffset _t = new(2026, 12, 7, 2, 0, 0, TimeSpan.Zero);

    private sealed class NoAgents : IAgentStates
    {
        public IReadOnlyList<AgentSnapshot> Agents { get; init; } = [];

        public IReadOnlyList<AgentSnapshot> List() => Agents;

        public AgentStateChange Request(string id, string state, string? reason) => throw new NotSupportedException();

        public void HoldEmailTasks(IReadOnlyDictionary<string, string> acceptedByAgent) => throw new NotSupportedException();
    }

    [Test]
    public async Task ACallbackWaitsForTheClientsManagerUnlessTheClientDeniedThem()
    {
        var file = TestDatabases.NewSqliteFile();
        try
        {
            var factory = new DbConnectionFactory(new DatabaseOptions { ConnectionString = "Data Source=" + file });
            await new Migrator(factory).MigrateAsync();
            var catalog = new CatalogRepository(factory);
            await catalog.UpsertAgentAsync(new AgentRecord("1004", "周强", "callcenter", "a", "b"));
            await catalog.UpsertClientAsync(new ClientRecord("13800000003", "张伟", "6225****0003", "Gold", "1004", "zh", "深圳"));
            await catalog.UpsertClientAsync(new ClientRecord("13800000004", "李娜", "6225****0004", "Gold", "1004", "zh", "北京"));
            var lists = new CallListRepository(factory);
            await lists.InsertListAsync(new CallListRow("new", "New accounts", "new-account", "general", 3, 60, "api-key", _t));
            await lists.InsertEntriesAsync(
            [
                new CallListEntryRow
                {
                    Id = "denied", ListId = "new", Number = "13800000004", AccountManager = "1004", DueBy = _t, Status = CallListStatuses.Reached,
                    Confirmation = "denied", CreatedAt = _t.AddDays(-2), UpdatedAt = _t.AddDays(-1),
                },
            ]);

            var time = new ManualTimeProvider(_t);
            var routing = new RoutingOptions { Queues = new(StringComparer.OrdinalIgnoreCase) { ["general"] = new QueueOptions() } };
            using var queues = new AcdQueues(routing, time, NullLogger<AcdQueues>.Instance);
            var outbound = new OutboundOptions { CallingHoursStart = "00:00", CallingHoursEnd = "00:00" };
            var rules = new OutboundRules(new DoNotCallRepository(factory), new DialingOptions(), outbound, time, NullLogger<OutboundRules>.Instance);
            await rules.StartAsync(CancellationToken.None);
            var trunk = new Trunk("carrier", new SipRemote(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5090)), "", "", "95500");
            using var callbacks = new Callbacks(new CallbackRepository(factory), queues, new Trunks([trunk]), new DialingOptions(), routing, new CallbackOptions(), rules, time, NullLogger<Callbacks>.Instance);
            var booking = new CallbackBooking(callbacks, new CallerLookupRepository(factory), new NoAgents(), time);

            var own = await booking.BookAsync("13800000003", null, null, null, "api", timeRequired: false, "api-key", CancellationToken.None);
            var denied = await booking.BookAsync("13800000004", null, null, null, "api", timeRequired: false, "api-key", CancellationToken.None);

            Assert.Multiple(() =>
            {
                Assert.That((own.Status, own.Refusal), Is.EqualTo((201, (string?)null)));
                Assert.That((denied.Status, denied.Refusal), Is.EqualTo((201, (string?)null)));
                Assert.That((own.Row!.AccountManager, own.Row.Tier), Is.EqualTo(("1004", "Gold")));
                Assert.That((denied.Row!.AccountManager, denied.Row.Tier), Is.EqualTo(((string?)null, "Gold")), "not held for the manager the client denied");
            });
        }
        finally
        {
            TestDatabases.DeleteSqliteFile(file);
        }
    }

    [Test]
    public async Task ASupervisorBooksFromTheWallboardWithTheApisChecksForAKnownAgentWithinTheirCapAndCancelsAWaitingOne()
    {
        var file = TestDatabases.NewSqliteFile();
        try
        {
            var factory = new DbConnectionFactory(new DatabaseOptions { ConnectionString = "Data Source=" + file });
            await new Migrator(factory).MigrateAsync();
            var time = new ManualTimeProvider(_t);
            var routing = new RoutingOptions { Queues = new(StringComparer.OrdinalIgnoreCase) { ["general"] = new QueueOptions(), ["vip"] = new QueueOptions() } };
            using var queues = new AcdQueues(routing, time, NullLogger<AcdQueues>.Instance);
            var outbound = new OutboundOptions { CallingHoursStart = "00:00", CallingHoursEnd = "00:00" };
            var rules = new OutboundRules(new DoNotCallRepository(factory), new DialingOptions(), outbound, time, NullLogger<OutboundRules>.Instance);
            await rules.StartAsync(CancellationToken.None);
            var (_, listed, _) = await rules.AddAsync("13900000099", "asked not to be called", "super", CancellationToken.None);
            Assert.That(listed, Is.True);
            var trunk = new Trunk("carrier", new SipRemote(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5090)), "", "", "95500");
            var agents = new NoAgents { Agents = [new AgentSnapshot("1002", "available", true, _t, null, null)] };
            var options = new CallbackOptions { MaxPendingPerAgent = 1 };
            using var callbacks = new Callbacks(new CallbackRepository(factory), queues, new Trunks([trunk]), new DialingOptions(), routing, options, rules, time, NullLogger<Callbacks>.Instance);
            using var noTrunk = new Callbacks(new CallbackRepository(factory), queues, new Trunks([]), new DialingOptions(), routing, options, rules, time, NullLogger<Callbacks>.Instance);
            Contracts.Calls.ISupervisorCallbacks wallboard = new CallbackBooking(callbacks, new CallerLookupRepository(factory), agents, time, new DialingOptions());
            await new CatalogRepository(factory).UpsertClientAsync(new ClientRecord("13900000051", "VIP", "****0051", "Gold", null, "en", "b"));
            Contracts.Calls.ISupervisorCallbacks withoutTrunk = new CallbackBooking(noTrunk, new CallerLookupRepository(factory), agents, time);
            var inAnHour = _t.AddHours(1).ToString("O");

            var booked = await wallboard.BookAsync("super", "139 0000 0051", inAnHour, "vip", "1002", CancellationToken.None);
            var overCap = await wallboard.BookAsync("super", "13900000052", inAnHour, "vip", "1002", CancellationToken.None);
            var unowned = await wallboard.BookAsync("super", "13900000053", _t.AddHours(2).ToString("O"), null, null, CancellationToken.None);
            var unknownOwner = await wallboard.BookAsync("super", "13900000054", inAnHour, "general", "1999", CancellationToken.None);
            var past = await wallboard.BookAsync("super", "13900000055", _t.AddHours(-1).ToString("O"), "general", null, CancellationToken.None);
            var noTime = await wallboard.BookAsync("super", "13900000056", null, "general", null, CancellationToken.None);
            var noQueue = await wallboard.BookAsync("super", "13900000057", inAnHour, "nowhere", null, CancellationToken.None);
            var doNotCall = await wallboard.BookAsync("super", "13900000099", inAnHour, "general", null, CancellationToken.None);
            var barred = await wallboard.BookAsync("super", "110", inAnHour, "general", null, CancellationToken.None);
            var trunkless = await withoutTrunk.BookAsync("super", "13900000058", inAnHour, "general", null, CancellationToken.None);
            var stored = await callbacks.GetAsync(booked.Callback!.Id);
            var byCaller = await callbacks.BookAsync(new CallbackRequest("13900000060", "general", "queue-key", _t, RequestedBy: "13900000060"));
            var waiting = await wallboard.WaitingAsync(10, CancellationToken.None);

            var cancelled = await wallboard.CancelAsync("super", booked.Callback.Id, CancellationToken.None);
            var again = await wallboard.CancelAsync("super", booked.Callback.Id, CancellationToken.None);
            var unknown = await wallboard.CancelAsync("super", "cb-none", CancellationToken.None);
            var afterCancel = await callbacks.GetAsync(booked.Callback.Id);
            var stillWaiting = await wallboard.WaitingAsync(10, CancellationToken.None);

            Assert.Multiple(() =>
            {
                Assert.That((booked.Status, booked.Callback.Number, booked.Callback.Queue, booked.Callback.Status), Is.EqualTo((201, "13900000051", "vip", "scheduled")));
                Assert.That((stored!.Source, stored.RequestedBy, stored.OwnerAgent, stored.DueAt), Is.EqualTo(("wallboard", "super", "1002", (DateTimeOffset?)_t.AddHours(1))));
                Assert.That(stored.Tier, Is.EqualTo("Gold"), "the number typed with spaces is the directory's client: their tier goes with the callback");
                Assert.That(overCap.Status, Is.EqualTo(409));
                Assert.That(overCap.Message, Does.Contain("Callbacks:MaxPendingPerAgent is 1"));
                Assert.That((unowned.Status, unowned.Callback?.Queue), Is.EqualTo((201, "general")), "no queue named: general, no owner");
                Assert.That((unknownOwner.Status, unknownOwner.Message), Is.EqualTo((400, "there is no agent \"1999\" to own the callback")));
                Assert.That((past.Status, noTime.Status, noQueue.Status, doNotCall.Status, barred.Status), Is.EqualTo((400, 400, 400, 400, 400)));
                Assert.That(past.Message, Does.Contain("in the past"));
                Assert.That(noTime.Message, Does.Contain("needs its time"));
                Assert.That(noQueue.Message, Does.Contain("there is no queue \"nowhere\""));
                Assert.That(doNotCall.Message, Does.Contain("do-not-call list").And.Contain("asked not to be called"));
                Assert.That(barred.Message, Is.Not.Empty);
                Assert.That(trunkless.Status, Is.EqualTo(409));
                Assert.That(trunkless.Message, Does.Contain("no trunk is configured"));
                Assert.That(waiting.Select(w => (w.Id, w.MaskedNumber, w.Queue, w.Owner, w.Source, w.RequestedBy, w.At)), Is.EqualTo(new[]
                {
                    (byCaller.Callback!.Id, "139****0060", "general", null, "queue-key", null, null),
                    (booked.Callback.Id, "139****0051", "vip", (string?)"1002", "wallboard", (string?)"super", (DateTimeOffset?)_t.AddHours(1)),
                    (unowned.Callback!.Id, "139****0053", "general", null, "wallboard", "super", _t.AddHours(2)),
                }), "soonest first, numbers masked (a caller's own request does not show their number as its requester); nothing refused was stored");
                Assert.That((cancelled.Status, cancelled.Callback?.Status), Is.EqualTo((200, "cancelled")));
                Assert.That((afterCancel!.Status, afterCancel.CancelledBy), Is.EqualTo(("cancelled", "super")), "cancelled by the supervisor, whoever owns it");
                Assert.That(again.Status, Is.EqualTo(409));
                Assert.That(again.Message, Does.Contain("already cancelled"));
                Assert.That((unknown.Status, unknown.Message), Is.EqualTo((404, "no callback cb-none")));
                Assert.That(stillWaiting.Select(w => w.Id), Is.EqualTo(new[] { byCaller.Callback.Id, unowned.Callback.Id }));
            });
        }
        finally
        {
            TestDatabases.DeleteSqliteFile(file);
        }
    }
}
