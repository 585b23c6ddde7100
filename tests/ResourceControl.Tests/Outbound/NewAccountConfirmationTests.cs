using System.Security.Claims;
using CallCenter.Contracts.Calls;
using CallCenter.Data;
using CallCenter.Data.Callbacks;
using CallCenter.Data.CallLists;
using CallCenter.Data.Catalog;
using CallCenter.Data.Desk;
using CallCenter.Data.Events;
using CallCenter.Data.Registrations;
using CallCenter.FaxSms.Outbox;
using CallCenter.ResourceControl.Agents;
using CallCenter.ResourceControl.Outbound;
using CallCenter.ResourceControl.Queues;
using CallCenter.ResourceControl.Records;
using CallCenter.ResourceControl.Routing;
using CallCenter.Telephony.Sip.Registrar;
using CallCenter.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallCenter.ResourceControl.Tests.Outbound;

/// <summary>
/// The answer a client gave by key on a new-account call is theirs: <c>POST /api/call-lists/entries/{id}/confirmation</c>
/// cannot replace it (409, the client's answer kept, the attempt audited as refused), as an agent's wrap-up code cannot;
/// before the client answered, the API records an answer as always. On SQLite and PostgreSQL (CALLCENTER_TEST_POSTGRES).
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Providers))]
public sealed class NewAccountConfirmationTests(string provider)
{
    private static readonly DateTimeOffset _t = new(2026, 12, 7, 2, 0, 0, TimeSpan.Zero);
    private const string ClientKey = CallLists.ClientKeyPrefix + "+8613900000091 (key 2)";

    private static readonly ClaimsPrincipal _supervisor =
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "li.na"), new Claim(ClaimTypes.Role, "supervisor")], "cookie"));

    private static CallListEntryRow Reached(string id) => new()
    {
        Id = id,
        ListId = "list-na",
        Number = "+8613900000091",
        DueBy = _t.AddHours(24),
        Status = CallListStatuses.Reached,
        Attempts = 1,
        AccountManager = "1003",
        LastCallId = "call-" + id,
        CreatedAt = _t.AddHours(-1),
        UpdatedAt = _t.AddMinutes(-5),
    };

    [Test]
    public async Task TheApiCannotOverwriteTheAnswerTheClientGaveByKey()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var store = new CallListRepository(db.Factory);
        var audit = new AuditRepository(db.Factory);
        await store.InsertListAsync(new CallListRow("list-na", "confirmations", CallListKinds.NewAccount, "general", 3, 600, "super", _t.AddHours(-2)));
        await store.InsertEntriesAsync([Reached("le-client"), Reached("le-api")]);
        await using var platform = Platform.Start(db, audit);

        // The client pressed 2 on the call: denied, by them.
        var (byKey, keyStatus, _) = await platform.Lists.ConfirmAsync("le-client", confirmed: false, ClientKey, CancellationToken.None, byClientKey: true);
        var overwrite = await CallListsEndpoints.ConfirmAsync("le-client", new CallListsEndpoints.ConfirmationRequest(true), platform.Lists, _supervisor, CancellationToken.None);
        var kept = await store.GetEntryAsync("le-client");

        // Where the client gave no answer, the API's is taken.
        var taken = await CallListsEndpoints.ConfirmAsync("le-api", new CallListsEndpoints.ConfirmationRequest(false), platform.Lists, _supervisor, CancellationToken.None);

        // The database's own guard, for an answer racing the client's key (read before it, written after it).
        var racing = await store.SetConfirmationAsync("le-client", "confirmed", "li.na", _t, keepAnswersBy: CallLists.ClientKeyPrefix);

        var audited = (await audit.ListAsync(CallLists.ConfirmationAction, null, 10)).OrderByDescending(e => e.Target).ToList(); // one instant: by entry
        var problem = overwrite as ProblemHttpResult;
        Assert.Multiple(() =>
        {
            Assert.That(byKey, Is.Not.Null, $"the client's key is recorded ({keyStatus})");
            Assert.That(problem?.StatusCode, Is.EqualTo(StatusCodes.Status409Conflict), "the API must refuse to replace the client's own answer");
            Assert.That(problem?.ProblemDetails.Detail, Does.Contain("the client answered by key").And.Contain("call-le-client"));
            Assert.That(kept!.Confirmation, Is.EqualTo("denied"), "the client's answer is kept");
            Assert.That(kept.ConfirmedBy, Is.EqualTo(ClientKey));
            Assert.That((taken as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK, Is.EqualTo(StatusCodes.Status200OK), "an entry the client did not answer takes the API's answer");
            Assert.That(racing, Is.False, "the conditional write keeps the client's answer too");
            Assert.That(audited.Select(e => (e.Actor, e.Role, e.Target, e.Outcome)), Is.EqualTo(new[]
            {
                ("li.na", "supervisor", "le-client", AuditEntry.Refused),
                ("li.na", "supervisor", "le-api", AuditEntry.Done),
            }));
            Assert.That(audited[0].Detail, Does.Contain("refused (409)").And.Contain("the client answered by key"));
        });

        var apiEntry = await store.GetEntryAsync("le-api");
        Assert.That(apiEntry!.Confirmation, Is.EqualTo("denied"));
    }

    /// <summary>A <see cref="CallLists"/> with its real collaborators on the test's database and a clock that never moves.</summary>
    private sealed class Platform : IAsyncDisposable
    {
        private readonly List<IDisposable> _owned = [];

        public CallLists Lists { get; private set; } = null!;

        public static Platform Start(TestDatabase db, AuditRepository audit)
        {
            var platform = new Platform();
            var time = new ManualTimeProvider(_t);
            var factory = db.Factory;
            var routing = new RoutingOptions();
            var catalog = new CatalogRepository(factory);
            var registrarOptions = new SipRegistrarOptions();
            var registrar = new SipRegistrar(new InMemoryRegistrationStore(), registrarOptions.CreateAuthenticator(new CatalogCredentialStore(catalog)), registrarOptions);
            var queues = new AcdQueues(routing, time, NullLogger<AcdQueues>.Instance);
            var events = new EventLog(time);
            var presence = new AgentPresence(
                new AgentRoster(new AgentStateMachine(new AgentOptions())), registrar, catalog, new SipBindingRepository(factory), queues, events, new NoDeskEvents(), time, NullLogger<AgentPresence>.Instance);
            var outbound = new OutboundOptions { CallingHoursStart = "00:00", CallingHoursEnd = "00:00" };
            var rules = new OutboundRules(new DoNotCallRepository(factory), new DialingOptions(), outbound, time, NullLogger<OutboundRules>.Instance);
            var callbacks = new Callbacks(new CallbackRepository(factory), queues, new Trunks([]), new DialingOptions(), routing, new CallbackOptions(), rules, time, NullLogger<Callbacks>.Instance);
            var options = new CallListOptions();
            var store = new CallListRepository(factory);
            var escalations = new ListEscalations(store, events, [], options, time, NullLogger<ListEscalations>.Instance);
            platform._owned.AddRange([escalations, callbacks, rules, presence, queues]);
            platform.Lists = new CallLists(
                store, callbacks, rules, new DialingOptions(), routing, options, new OutboxRepository(factory), new OutboxSignal(), events, presence, queues, new NoDialer(), escalations, time,
                NullLogger<CallLists>.Instance, audit);
            platform._owned.Insert(0, platform.Lists);
            return platform;
        }

        public ValueTask DisposeAsync()
        {
            foreach (var owned in _owned)
            {
                owned.Dispose();
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class NoDialer : IListEntryDialer
    {
        public Task<CallControlResult> DialEntryAsync(string agent, CallbackRow callback) => throw new InvalidOperationException("no dial in this test");
    }

    private sealed class NoDeskEvents : Contracts.Desk.IDeskEvents
    {
        public void Offered(CallPop pop)
        {
        }

        public void CallChanged(DeskCallState state)
        {
        }

        public void AgentChanged(Contracts.Agents.AgentSnapshot agent)
        {
        }
    }
}
