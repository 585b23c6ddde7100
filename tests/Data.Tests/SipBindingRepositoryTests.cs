using CallCenter.Data.Registrations;

namespace CallCenter.Data.Tests;

[TestFixtureSource(typeof(CallCenter.TestSupport.TestDatabases), nameof(CallCenter.TestSupport.TestDatabases.Providers))]
public sealed class SipBindingRepositoryTests(string provider)
{
    private static SipBindingRow Row(string aor, string key, long expiresAtMs, long cseq = 1) => new()
    {
        Aor = aor,
        ContactKey = key,
        ContactScheme = "sip",
        ContactUser = aor,
        ContactHost = "192.0.2.10",
        ContactPort = 5062,
        ContactTransport = "tcp",
        ContactUriParameters = "transport=tcp;line=abc",
        SourceTransport = "TCP",
        SourceAddress = "203.0.113.4",
        SourcePort = 40000,
        CallId = "reg-" + key,
        CSeq = cseq,
        Q = 0.5,
        ExpiresAtMs = expiresAtMs,
        UpdatedAtMs = 1000,
    };

    [Test]
    public async Task BindingsRoundTripAndUpsertReplacesByAorAndContact()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var repository = new SipBindingRepository(db.Factory);

        await repository.UpsertAsync(Row("1001", "a", 5000));
        await repository.UpsertAsync(Row("1001", "b", 6000));
        await repository.UpsertAsync(Row("1001", "a", 9000, cseq: 2));
        await repository.UpsertAsync(Row("1002", "c", 9000));

        var bindings = await repository.GetAsync("1001");
        Assert.That(bindings, Is.EqualTo(new[] { Row("1001", "a", 9000, cseq: 2), Row("1001", "b", 6000) }));
    }

    [Test]
    public async Task ExpiredBindingsAreRemovedAndReturnedOthersStay()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var repository = new SipBindingRepository(db.Factory);
        await repository.UpsertAsync(Row("1001", "old", 5000));
        await repository.UpsertAsync(Row("1001", "new", 7000));
        await repository.UpsertAsync(Row("1002", "x", 4000));

        var expired = await repository.RemoveExpiredAsync(6000);
        var active = await repository.GetActiveAsync(6000);

        Assert.That(expired.Select(r => r.ContactKey), Is.EquivalentTo(new[] { "old", "x" }));
        Assert.That(active.Select(r => r.ContactKey), Is.EqualTo(new[] { "new" }));
        Assert.That(await repository.RemoveAsync("1001", "new"), Is.True);
        Assert.That(await repository.RemoveAsync("1001", "new"), Is.False);
        Assert.That(await repository.RemoveAllAsync("1001"), Is.Zero);
    }

    [Test]
    public async Task APathRoundTripsAndARefreshWithoutOneClearsIt()
    {
        // RFC 3327: a phone registered through a proxy keeps its Path with the binding, on both databases.
        await using var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        var repository = new SipBindingRepository(db.Factory);
        var withPath = Row("1001", "a", 9000) with { Path = "<sip:10.0.0.5;lr>, <sip:10.0.0.9:5070;lr;transport=tcp>" };

        await repository.UpsertAsync(withPath);
        var stored = (await repository.GetAsync("1001")).Single();
        await repository.UpsertAsync(Row("1001", "a", 9000, cseq: 2));
        var refreshed = (await repository.GetAsync("1001")).Single();

        Assert.That(stored, Is.EqualTo(withPath));
        Assert.That(refreshed.Path, Is.Null);
    }
}
