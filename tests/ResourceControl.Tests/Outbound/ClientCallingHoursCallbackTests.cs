using System.Net;
using CallCenter.Data;
using CallCenter.Data.Callbacks;
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
/// A client with calling hours of their own (14:00-16:00 Shanghai; the platform's are 08:00-21:00): a callback
/// scheduled for 10:00 waits, not in its queue and not counted as an attempt, until 14:00; a risk notice does not
/// wait; the check before the INVITE (callbacks, list calls, click-to-dial) reads the client's hours from the database.
/// </summary>
public sealed class ClientCallingHoursCallbackTests
{
    private static readonly TimeSpan _shanghai = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset _nine = new(2026, 12, 7, 9, 0, 0, _shanghai);

    private string _file = "";
    private DbConnectionFactory _factory = null!;

    [SetUp]
    public async Task CreateAsync()
    {
        _file = TestDatabases.NewSqliteFile();
        _factory = new DbConnectionFactory(new DatabaseOptions { ConnectionString = "Data Source=" + _file });
        await new Migrator(_factory).MigrateAsync();
        var catalog = new CatalogRepository(_factory);
        await catalog.UpsertClientAsync(new ClientRecord("13900000021", "Hours", "****0021", "Gold", null, "zh", "b", CallHours: "14:00-16:00"));
        await catalog.UpsertClientAsync(new ClientRecord("13900000022", "Risk", "****0022", "Gold", null, "zh", "b", CallHours: "14:00-16:00"));
    }

    [TearDown]
    public void Delete() => TestDatabases.DeleteSqliteFile(_file);

    private OutboundRules Rules(ManualTimeProvider time, bool clientHours = true) => new(
        new DoNotCallRepository(_factory), new DialingOptions(), new OutboundOptions { DoNotCallRefreshSeconds = 300 }, time, NullLogger<OutboundRules>.Instance,
        clientHours ? new ClientHoursRepository(_factory) : null);

    [Test]
    public async Task AScheduledCallbackForAClientWithHoursWaitsForThemAndARiskNoticeDoesNot()
    {
        var time = new ManualTimeProvider(_nine);
        var routing = new RoutingOptions { Queues = new(StringComparer.OrdinalIgnoreCase) { ["general"] = new QueueOptions() } };
        using var queues = new AcdQueues(routing, time, NullLogger<AcdQueues>.Instance);
        using var rules = Rules(time);
        await rules.StartAsync(CancellationToken.None);
        var trunk = new Trunk("carrier", new SipRemote(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5090)), "", "", "95500");
        var store = new CallbackRepository(_factory);
        using var callbacks = new Callbacks(store, queues, new Trunks([trunk]), new DialingOptions(), routing, new CallbackOptions(), rules, time, NullLogger<Callbacks>.Instance);
        await callbacks.StartAsync(CancellationToken.None);

        var ten = _nine.AddHours(1);
        var (booked, refusal) = await callbacks.BookAsync(new CallbackRequest("13900000021", "general", "api", _nine, DueAt: ten));
        var (risk, riskRefusal) = await callbacks.BookAsync(new CallbackRequest("13900000022", "general", "list", _nine, DueAt: ten, RiskNotice: true));
        Assert.That((refusal, riskRefusal), Is.EqualTo(((string?)null, (string?)null)));

        time.Advance(TimeSpan.FromHours(1)); // 10:00: the time it was booked for
        var atTen = (queues.Load("general").Waiting, callbacks.Counts);
        time.Advance(TimeSpan.FromHours(4) - TimeSpan.FromSeconds(2)); // 13:59:58
        var beforeTwo = (queues.Load("general").Waiting, callbacks.Counts);
        var waiting = await EventuallyAsync(() => store.GetAsync(booked!.Id), r => r?.NextAttemptAt is not null);
        time.Advance(TimeSpan.FromSeconds(2)); // 14:00
        var atTwo = (queues.Load("general").Waiting, callbacks.Counts);

        Assert.Multiple(() =>
        {
            Assert.That(atTen, Is.EqualTo((1, (Queued: 1, Later: 1))), "at 10:00 only the risk notice is in its queue");
            Assert.That(beforeTwo, Is.EqualTo((1, (Queued: 1, Later: 1))), "the client's callback is not offered before 14:00");
            Assert.That(waiting!.NextAttemptAt, Is.EqualTo(ten.AddHours(4)), "it says when it will be called");
            Assert.That((waiting.Status, waiting.Attempts), Is.EqualTo((CallbackStatuses.Queued, 0)), "waiting is not an attempt");
            Assert.That(atTwo, Is.EqualTo((2, (Queued: 2, Later: 0))), "at 14:00 it enters its queue");
            Assert.That(risk!.RiskNotice, Is.True);
        });
    }

    [Test]
    public async Task TheCheckBeforeTheInviteReadsTheClientsHoursFromTheDatabaseAndRefusesNamingThem()
    {
        var time = new ManualTimeProvider(_nine.AddHours(1));
        using var rules = Rules(time);
        await rules.StartAsync(CancellationToken.None);
        await new CatalogRepository(_factory).UpsertClientAsync(new ClientRecord("13900000023", "Later", "****0023", "Gold", null, "zh", "b", CallHours: "14:00-16:00"));
        var held = rules.ClientHours("13900000023");

        var number = DialPlan.Normalize("139 0000 0023", new DialingOptions()).Number!;
        var dial = await rules.CheckAsync(number, riskNotice: false, "click-to-dial", "1004");
        var other = await rules.CheckAsync(DialPlan.Normalize("13900000099", new DialingOptions()).Number!, riskNotice: false, "click-to-dial", "1004");
        var risk = await rules.CheckAsync(number, riskNotice: true, "list call", "cb-1");
        var heldAfter = rules.ClientHours("13900000023")?.ToString();

        Assert.Multiple(() =>
        {
            Assert.That(held, Is.Null, "set after this node's last read");
            Assert.That(heldAfter, Is.EqualTo("14:00-16:00"), "what the look-up read is what the node holds now, so a waiting callback is not let in by old hours");
            Assert.That(dial.Block, Is.EqualTo(OutboundBlock.ClientHours));
            Assert.That(dial.Reason, Does.StartWith("outside the client's calling hours (14:00-16:00 Asia/Shanghai)"));
            Assert.That(other.Allowed, Is.True, "a number that is no client's: the platform's hours alone");
            Assert.That((risk.Allowed, risk.ClientHoursOverridden), Is.EqualTo((true, true)));
        });
    }

    [Test]
    public async Task ANodeReadsTheClientsHoursAgainAndAnswersFromThemInMemory()
    {
        var time = new ManualTimeProvider(_nine.AddHours(1));
        using var rules = Rules(time);
        await rules.StartAsync(CancellationToken.None);
        await new CatalogRepository(_factory).UpsertClientAsync(new ClientRecord("13900000023", "Later", "****0023", "Gold", null, "zh", "b", CallHours: "20:00-09:00"));

        var before = rules.WaitUntil("13900000023", riskNotice: false, time.GetUtcNow());
        Assert.That(await rules.RefreshClientHoursAsync(), Is.True);

        Assert.Multiple(() =>
        {
            Assert.That(before, Is.Null);
            Assert.That(rules.ClientHours("13900000023")?.ToString(), Is.EqualTo("20:00-09:00"));
            Assert.That(rules.WaitUntil("13900000023", riskNotice: false, time.GetUtcNow()), Is.EqualTo(new DateTimeOffset(2026, 12, 7, 20, 0, 0, _shanghai)));
            Assert.That(rules.WaitUntil("13900000021", riskNotice: true, time.GetUtcNow()), Is.Null, "a risk notice never waits");
        });
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        for (var i = 0; ; i++)
        {
            var value = await read();
            if (done(value) || i == 100)
            {
                return value;
            }

            await Task.Delay(20);
        }
    }

    [Test]
    public async Task APreviewEntryIsNotShownOutsideItsClientsHoursUnlessItIsARiskNotice()
    {
        var time = new ManualTimeProvider(_nine.AddHours(1)); // 10:00
        using var rules = Rules(time);
        await rules.StartAsync(CancellationToken.None);
        CallCenter.Data.CallLists.CallListRow List(string kind) => new("list-1", "l", kind, "general", 3, 600, "super", _nine);
        CallCenter.Data.CallLists.CallListEntryRow Entry(string number) => new()
        {
            Id = "e-" + number,
            ListId = "list-1",
            Number = " " + number,
            DueBy = _nine.AddDays(1),
            Status = CallCenter.Data.CallLists.CallListStatuses.Open,
            CreatedAt = _nine,
            UpdatedAt = _nine,
        };

        var atTen = CallLists.MayOfferNow(rules, List(CallListKinds.CoreClient), Entry("13900000021"), time.GetUtcNow());
        var riskAtTen = CallLists.MayOfferNow(rules, List(CallListKinds.RiskNotice), Entry("13900000021"), time.GetUtcNow());
        var noHoursAtTen = CallLists.MayOfferNow(rules, List(CallListKinds.CoreClient), Entry("13900000099"), time.GetUtcNow());
        var atThree = CallLists.MayOfferNow(rules, List(CallListKinds.CoreClient), Entry("13900000021"), _nine.AddHours(6));
        var atNight = CallLists.MayOfferNow(rules, List(CallListKinds.CoreClient), Entry("13900000099"), _nine.AddHours(13)); // 22:00

        Assert.That((atTen, riskAtTen, noHoursAtTen, atThree, atNight), Is.EqualTo((false, true, true, true, false)));
    }
}
