using CallCenter.Data;
using CallCenter.Data.Catalog;
using CallCenter.Data.Events;
using CallCenter.Data.Registrations;
using CallCenter.ResourceControl.Agents;
using CallCenter.ResourceControl.Queues;
using CallCenter.ResourceControl.Records;
using CallCenter.ResourceControl.Routing;
using CallCenter.Telephony.Sip.Registrar;
using CallCenter.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallCenter.ResourceControl.Tests.Agents;

/// <summary>The admin pages' agent changes reach the running roster and router (AgentPresence as IAgentCatalogChanges).</summary>
public sealed class AgentCatalogChangesTests
{
    private string _file = "";
    private ManualTimeProvider _time = null!;
    private AcdQueues _queues = null!;
    private AgentPresence _presence = null!;
    private readonly List<RoutingAssignment> _assigned = [];

    [SetUp]
    public async Task StartAsync()
    {
        _assigned.Clear();
        _file = TestDatabases.NewSqliteFile();
        var factory = new DbConnectionFactory(new DatabaseOptions { ConnectionString = "Data Source=" + _file });
        await new Migrator(factory).MigrateAsync();
        var catalog = new CatalogRepository(factory);
        await catalog.UpsertAgentAsync(new AgentRecord("1001", "赵敏", "callcenter", "a", "b", "zh"));
        _time = new ManualTimeProvider();
        var registrarOptions = new SipRegistrarOptions();
        var registrar = new SipRegistrar(new InMemoryRegistrationStore(), registrarOptions.CreateAuthenticator(new CatalogCredentialStore(catalog)), registrarOptions);
        _queues = new AcdQueues(new RoutingOptions(), _time, NullLogger<AcdQueues>.Instance);
        _queues.Assigned += _assigned.Add;
        _presence = new AgentPresence(
            new AgentRoster(new AgentStateMachine(new AgentOptions())),
            registrar,
            catalog,
            new SipBindingRepository(factory),
            _queues,
            new EventLog(_time),
            new NoDeskEvents(),
            _time,
            NullLogger<AgentPresence>.Instance);
        await _presence.StartAsync(CancellationToken.None);
    }

    [TearDown]
    public void Stop()
    {
        _presence.Dispose();
        _queues.Dispose();
        CallCenter.TestSupport.TestDatabases.DeleteSqliteFile(_file);
    }

    [Test]
    public void ANewAgentJoinsTheRosterOfflineAndTakesACallWithItsSkillsOnceAvailable()
    {
        _presence.AgentSaved("1005", ["zh", "futures"], "agent");

        Assert.That(_presence.List().Single(a => a.Id == "1005").State, Is.EqualTo("offline"));
        MakeAvailable("1005");
        Enqueue("call-1", "futures");

        Assert.That(_assigned.Select(a => (a.Call.Id, a.Agent)), Is.EqualTo(new[] { ("call-1", "1005") }));
    }

    [Test]
    public void NewSkillsOfAnAvailableAgentApplyToTheNextCallAtOnce()
    {
        MakeAvailable("1001");
        Enqueue("call-1", "futures");
        Assert.That(_assigned, Is.Empty, "1001 has no futures skill yet");

        _presence.AgentSaved("1001", ["zh", "futures"], "agent");
        Enqueue("call-2", "futures");

        Assert.That(_assigned.Select(a => (a.Call.Id, a.Agent)), Is.EqualTo(new[] { ("call-2", "1001") }));
    }

    [Test]
    public void NewSkillsOfABusyAgentApplyWhenItIsNextAvailable()
    {
        _presence.Apply("1001", new AgentEvent.PhoneRegistered());
        _presence.AgentSaved("1001", ["zh", "futures"], "agent");
        Enqueue("call-1", "futures");

        _presence.Request("1001", "available", null);

        Assert.That(_assigned.Select(a => a.Agent), Is.EqualTo(new[] { "1001" }));
    }

    [Test]
    public void ADeletedOfflineAgentLeavesTheRosterAndAnAvailableOneStays()
    {
        _presence.AgentSaved("1005", ["zh"], "agent");
        MakeAvailable("1001");

        _presence.AgentRemoved("1005");
        _presence.AgentRemoved("1001");

        Assert.That(_presence.List().Select(a => a.Id), Is.EqualTo(new[] { "1001" }));
    }

    [Test]
    public void ASupervisorsPhoneIsNotAddedToTheRoster()
    {
        _presence.AgentSaved("1900", ["zh"], "supervisor");

        Assert.That(_presence.List().Select(a => a.Id), Is.EqualTo(new[] { "1001" }));
    }

    private void MakeAvailable(string extension)
    {
        _presence.Apply(extension, new AgentEvent.PhoneRegistered());
        Assert.That(_presence.Request(extension, "available", null).Accepted, Is.True);
    }

    private void Enqueue(string callId, string skill) =>
        _queues.Enqueue(new WaitingCall(callId, "general", null, "zh", [skill], _time.GetUtcNow()), "zh", _ => { });

    private sealed class NoDeskEvents : CallCenter.Contracts.Desk.IDeskEvents
    {
        public void Offered(CallCenter.Contracts.Calls.CallPop pop)
        {
        }

        public void CallChanged(CallCenter.Contracts.Calls.DeskCallState state)
        {
        }

        public void AgentChanged(CallCenter.Contracts.Agents.AgentSnapshot agent)
        {
        }
    }
}
