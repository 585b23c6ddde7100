using CallCenter.Data.Catalog;

namespace CallCenter.Data.Tests;

[TestFixtureSource(typeof(CallCenter.TestSupport.TestDatabases), nameof(CallCenter.TestSupport.TestDatabases.Providers))]
public sealed class CatalogRepositoryTests(string provider)
{
    [Test]
    public async Task ClientsAreFoundByCallerNumberWithTheirTierAndManager()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var catalog = new CatalogRepository(db.Factory);
        await catalog.UpsertAgentAsync(new AgentRecord("1004", "周强", "callcenter", "a", "b"));
        await catalog.UpsertClientAsync(new ClientRecord("13800000003", "张伟", "6225****0003", "Gold", "1004", "zh", "深圳"));

        var found = await catalog.FindClientAsync("13800000003");
        var unknown = await catalog.FindClientAsync("13900000000");

        Assert.That(found, Is.EqualTo(new ClientRecord("13800000003", "张伟", "6225****0003", "Gold", "1004", "zh", "深圳")));
        Assert.That(unknown, Is.Null);
    }

    [Test]
    public async Task UpsertReplacesAHotlineAndTheCatalogIsNoLongerEmpty()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var catalog = new CatalogRepository(db.Factory);
        Assert.That(await catalog.IsEmptyAsync(), Is.True);

        await catalog.UpsertHotlineAsync(new HotlineRecord("95500", "old", "ivr"));
        await catalog.UpsertHotlineAsync(new HotlineRecord("95500", "Customer service", "vip"));

        Assert.That(await catalog.FindHotlineAsync("95500"), Is.EqualTo(new HotlineRecord("95500", "Customer service", "vip")));
        Assert.That(await catalog.ListHotlinesAsync(), Has.Count.EqualTo(1));
        Assert.That(await catalog.IsEmptyAsync(), Is.False);
    }

    [Test]
    public async Task AgentsKeepTheirSkills()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var catalog = new CatalogRepository(db.Factory);

        await catalog.UpsertAgentAsync(new AgentRecord("1003", "孙丽", "callcenter", "a", "b", "zh, en,complaints"));
        await catalog.UpsertAgentAsync(new AgentRecord("1001", "赵敏", "callcenter", "a", "b"));

        var agents = await catalog.ListAgentsAsync();
        Assert.That(agents.Select(a => a.Extension), Is.EqualTo(new[] { "1001", "1003" }));
        Assert.That(agents[1].SkillList, Is.EqualTo(new[] { "zh", "en", "complaints" }));
        Assert.That(agents[0].SkillList, Is.EqualTo(new[] { "zh", "en" }));
        Assert.That((await catalog.FindAgentAsync("1003"))!.Skills, Is.EqualTo("zh, en,complaints"));
    }

    [Test]
    public async Task ASupervisorsPhoneKeepsItsKindAndAgentsDefaultToAgent()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var catalog = new CatalogRepository(db.Factory);

        await catalog.UpsertAgentAsync(new AgentRecord("1001", "赵敏", "callcenter", "a", "b"));
        await catalog.UpsertAgentAsync(new AgentRecord("1900", "值班经理 Duty manager", "callcenter", "c", "d", "", AgentRecord.SupervisorKind));

        var agents = await catalog.ListAgentsAsync();
        var supervisor = await catalog.FindAgentAsync("1900");
        Assert.That(agents.Select(a => (a.Extension, a.Kind, a.IsSupervisor)), Is.EqualTo(new[] { ("1001", "agent", false), ("1900", "supervisor", true) }));
        Assert.That(supervisor, Is.EqualTo(new AgentRecord("1900", "值班经理 Duty manager", "callcenter", "c", "d", "", "supervisor")));

        // Upsert changes the kind too (an admin turns a phone into an agent's).
        await catalog.UpsertAgentAsync(supervisor! with { Kind = AgentRecord.AgentKind });
        Assert.That((await catalog.FindAgentAsync("1900"))!.IsSupervisor, Is.False);
    }
}
