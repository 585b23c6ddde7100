using CallCenter.Data.Events;

namespace CallCenter.Data.Tests;

[TestFixtureSource(typeof(CallCenter.TestSupport.TestDatabases), nameof(CallCenter.TestSupport.TestDatabases.Providers))]
public sealed class EventRepositoryTests(string provider)
{
    [Test]
    public async Task EventsAreAppendedInOrderAndReadByTimeAndByCall()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var events = new EventRepository(db.Factory);
        var t = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

        await events.AppendAsync([new(t, "call.answered", "c1"), new(t.AddSeconds(1), "agent.state", Agent: "1001", Detail: "{\"to\":\"available\"}")]);
        await events.AppendAsync([new(t.AddSeconds(2), "call.ended", "c1", "1001")]);

        var all = await events.ListBetweenAsync(t, t.AddMinutes(1), 100);
        Assert.That(all.Select(e => e.Kind), Is.EqualTo(new[] { "call.answered", "agent.state", "call.ended" }));
        Assert.That(all.Select(e => e.Seq), Is.Ordered.Ascending);
        Assert.That(all[1].Detail, Is.EqualTo("{\"to\":\"available\"}"));
        Assert.That((await events.ListForCallAsync("c1")).Select(e => e.Kind), Is.EqualTo(new[] { "call.answered", "call.ended" }));
        Assert.That(await events.ListBetweenAsync(t.AddSeconds(1), t.AddSeconds(2), 100), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task EventsOfOneKindAreReadByTime()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var events = new EventRepository(db.Factory);
        var t = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

        await events.AppendAsync(
        [
            new(t, "agent.state", Agent: "1001", Detail: "{\"to\":\"available\"}"),
            new(t.AddSeconds(1), "call.answered", "c1"),
            new(t.AddSeconds(2), "agent.state", Agent: "1002", Detail: "{\"to\":\"break\"}"),
            new(t.AddSeconds(3), "agent.state", Agent: "1001", Detail: "{\"to\":\"offered\"}"),
        ]);

        var states = await events.ListKindBetweenAsync("agent.state", t.AddSeconds(1), t.AddSeconds(3));
        Assert.That(states.Select(e => e.Agent), Is.EqualTo(new[] { "1002" }));
        Assert.That(await events.ListKindBetweenAsync("agent.state", t, t.AddMinutes(1)), Has.Count.EqualTo(3));
    }
}
