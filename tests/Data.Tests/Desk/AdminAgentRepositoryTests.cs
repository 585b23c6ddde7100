using CallCenter.Data.Catalog;
using CallCenter.Data.Desk;
using Dapper;

namespace CallCenter.Data.Tests.Desk;

[TestFixtureSource(typeof(CallCenter.TestSupport.TestDatabases), nameof(CallCenter.TestSupport.TestDatabases.Providers))]
public sealed class AdminAgentRepositoryTests(string provider)
{
    private static readonly AgentCredentials _credentials = new("callcenter", "md5-new", "sha-new", "pbkdf2-new");

    [Test]
    public async Task AgentsAreListedWithSkillsAndKindByExtension()
    {
        await using var db = await CreateAsync();
        var agents = new AdminAgentRepository(db.Factory);

        var list = await agents.ListAsync();

        Assert.That(list.Select(a => (a.Extension, a.Name, string.Join(',', a.Skills), a.Kind)), Is.EqualTo(new[]
        {
            ("1001", "赵敏", "zh,en,stocks", "agent"),
            ("1900", "Supervisor phone", "zh,en", "supervisor"),
        }));
    }

    [Test]
    public async Task ANewAgentGetsItsSipHashesAndAnAgentDeskLogin()
    {
        await using var db = await CreateAsync();
        var agents = new AdminAgentRepository(db.Factory);

        var (outcome, saved) = await agents.SaveAsync("1005", "吴新 Wu Xin", ["zh", "futures"], _credentials);

        Assert.That(outcome, Is.EqualTo(AgentSaveOutcome.Created));
        Assert.That(saved, Is.EqualTo(saved! with { Extension = "1005", Kind = "agent" }));
        var stored = await new CatalogRepository(db.Factory).FindAgentAsync("1005");
        Assert.That(stored, Is.EqualTo(new AgentRecord("1005", "吴新 Wu Xin", "callcenter", "md5-new", "sha-new", "zh,futures")));
        var login = await new DeskUserRepository(db.Factory).FindAsync("1005");
        Assert.That(login, Is.EqualTo(new DeskUserRecord("1005", "agent", "pbkdf2-new", "1005")));
    }

    [Test]
    public async Task ANewAgentWithoutAPasswordIsRefusedAndNothingIsWritten()
    {
        await using var db = await CreateAsync();
        var agents = new AdminAgentRepository(db.Factory);

        var (outcome, saved) = await agents.SaveAsync("1005", "Nobody", ["zh"], null);

        Assert.That((outcome, saved), Is.EqualTo((AgentSaveOutcome.PasswordRequired, (AdminAgent?)null)));
        Assert.That(await agents.FindAsync("1005"), Is.Null);
    }

    [Test]
    public async Task AnUpdateWithoutAPasswordKeepsTheCredentials()
    {
        await using var db = await CreateAsync();
        var agents = new AdminAgentRepository(db.Factory);

        var (outcome, _) = await agents.SaveAsync("1001", "赵敏 Zhao Min", ["zh", "complaints"], null);

        Assert.That(outcome, Is.EqualTo(AgentSaveOutcome.Updated));
        var stored = await new CatalogRepository(db.Factory).FindAgentAsync("1001");
        Assert.That(stored, Is.EqualTo(new AgentRecord("1001", "赵敏 Zhao Min", "callcenter", "md5-old", "sha-old", "zh,complaints")));
        Assert.That((await new DeskUserRepository(db.Factory).FindAsync("1001"))!.PasswordHash, Is.EqualTo("hash-1"));
    }

    [Test]
    public async Task ANewPasswordReplacesTheHashes()
    {
        await using var db = await CreateAsync();
        var agents = new AdminAgentRepository(db.Factory);
        var users = new DeskUserRepository(db.Factory);

        await agents.SaveAsync("1001", "赵敏", ["zh"], _credentials);

        var stored = await new CatalogRepository(db.Factory).FindAgentAsync("1001");
        Assert.That((stored!.SipHa1Md5, stored.SipHa1Sha256), Is.EqualTo(("md5-new", "sha-new")));
        Assert.That((await users.FindAsync("1001"))!.PasswordHash, Is.EqualTo("pbkdf2-new"));
    }

    [Test]
    public async Task ASupervisorsPhoneKeepsItsKindAndGetsNoAgentLogin()
    {
        await using var db = await CreateAsync();
        var agents = new AdminAgentRepository(db.Factory);

        var (outcome, saved) = await agents.SaveAsync("1900", "Supervisor phone", ["zh"], _credentials);

        Assert.That((outcome, saved!.Kind), Is.EqualTo((AgentSaveOutcome.Updated, "supervisor")));
        Assert.That(await new DeskUserRepository(db.Factory).FindAsync("1900"), Is.Null);
        Assert.That((await new CatalogRepository(db.Factory).FindAgentAsync("1900"))!.SipHa1Md5, Is.EqualTo("md5-new"));
    }

    [Test]
    public async Task ALoginOfAnotherRoleNamedLikeTheExtensionIsNotTakenOverAndNothingIsWritten()
    {
        await using var db = await CreateAsync();
        var catalog = new CatalogRepository(db.Factory);
        await catalog.UpsertDeskUserAsync(new DeskUserRecord("1006", "admin", "admin-hash", null));
        var agents = new AdminAgentRepository(db.Factory);

        var (outcome, _) = await agents.SaveAsync("1006", "Clash", ["zh"], _credentials);

        Assert.That(outcome, Is.EqualTo(AgentSaveOutcome.LoginTaken));
        Assert.That(await agents.FindAsync("1006"), Is.Null, "the agent row is rolled back too");
        Assert.That((await new DeskUserRepository(db.Factory).FindAsync("1006")), Is.EqualTo(new DeskUserRecord("1006", "admin", "admin-hash", null)));
    }

    [Test]
    public async Task DeletingAnAgentRemovesItsLoginAndBindingsAndUnlinksASupervisor()
    {
        await using var db = await CreateAsync();
        var agents = new AdminAgentRepository(db.Factory);
        await using (var connection = await db.Factory.OpenAsync())
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO sip_bindings (aor, contact_key, contact_scheme, contact_host, source_transport, source_address, source_port, call_id, cseq, expires_at_ms, updated_at_ms)
                VALUES ('1900', 'k', 'sip', '127.0.0.1', 'udp', '127.0.0.1', 5060, 'c', 1, 0, 0)
                """);
        }

        var (outcome, _) = await agents.DeleteAsync("1900");
        var (again, _) = await agents.DeleteAsync("1900");

        Assert.That((outcome, again), Is.EqualTo((AgentDeleteOutcome.Deleted, AgentDeleteOutcome.NotFound)));
        Assert.That((await agents.ListAsync()).Select(a => a.Extension), Is.EqualTo(new[] { "1001" }));
        Assert.That((await new DeskUserRepository(db.Factory).FindAsync("super"))!.AgentExtension, Is.Null);
        await using var check = await db.Factory.OpenAsync();
        Assert.That(await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sip_bindings WHERE aor = '1900'"), Is.Zero);
    }

    [Test]
    public async Task AnAccountManagerIsNotDeleted()
    {
        await using var db = await CreateAsync();
        await new CatalogRepository(db.Factory).UpsertClientAsync(new ClientRecord("13800000001", "王建国", "****0001", "Diamond", "1001", "zh", "b"));
        var agents = new AdminAgentRepository(db.Factory);

        var (outcome, clients) = await agents.DeleteAsync("1001");

        Assert.That((outcome, clients), Is.EqualTo((AgentDeleteOutcome.AccountManager, 1)));
        Assert.That(await agents.FindAsync("1001"), Is.Not.Null);
        Assert.That(await new DeskUserRepository(db.Factory).FindAsync("1001"), Is.Not.Null);
    }

    private async Task<TestDatabase> CreateAsync()
    {
        var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var catalog = new CatalogRepository(db.Factory);
        await catalog.UpsertAgentAsync(new AgentRecord("1001", "赵敏", "callcenter", "md5-old", "sha-old", "zh,en,stocks"));
        await catalog.UpsertAgentAsync(new AgentRecord("1900", "Supervisor phone", "callcenter", "md5-s", "sha-s"));
        await catalog.UpsertDeskUserAsync(new DeskUserRecord("1001", "agent", "hash-1", "1001"));
        await catalog.UpsertDeskUserAsync(new DeskUserRecord("super", "supervisor", "hash-s", "1900"));
        await using var connection = await db.Factory.OpenAsync();
        await connection.ExecuteAsync("UPDATE agents SET kind = 'supervisor' WHERE extension = '1900'");
        return db;
    }
}
