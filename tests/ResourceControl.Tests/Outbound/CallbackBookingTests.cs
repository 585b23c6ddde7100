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
/// new-account call is not the one it waits for.
/// </summary>
public sealed class CallbackBookingTests
{
    private static readonly DateTimeOffset _t = new(2026, 12, 7, 2, 0, 0, TimeSpan.Zero);

    private sealed class NoAgents : IAgentStates
    {
        public IReadOnlyList<AgentSnapshot> List() => [];

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
}
