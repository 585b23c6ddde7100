using CallCenter.Data;
using CallCenter.FaxSms.Fax;
using Dapper;

namespace CallCenter.FaxSms.Tests.Fax;

/// <summary>
/// Several nodes on one database (issue 19): every claim of an outbound fax names its node, a node's start queues
/// again only its own claims (and rows no node is named on, claimed before 0059), a claim older than
/// <see cref="FaxOptions.ClaimTimeoutSeconds"/> is taken back by whoever sees it, and two nodes never both take one row.
/// </summary>
[TestFixtureSource(typeof(CallCenter.TestSupport.TestDatabases), nameof(CallCenter.TestSupport.TestDatabases.Providers))]
public sealed class FaxClaimTests(string provider)
{
    private static readonly DateTimeOffset _t = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan _timeout = TimeSpan.FromHours(1);
    private static readonly FaxNode _node1 = new("node-1", SharesDatabase: true);
    private static readonly FaxNode _node2 = new("node-2", SharesDatabase: true);

    [Test]
    public async Task ANodesStartRequeuesItsOwnClaimsAndUnnamedOnesButNeverAnotherNodes()
    {
        await using var db = await CreateDatabaseAsync();
        var node1 = new FaxRepository(db.Factory, _node1);
        var node2 = new FaxRepository(db.Factory, _node2);
        await SendingAsync(node1, "fax-1-sending", _t);
        await RenderingAsync(node1, "fax-1-rendering", _t);
        await SendingAsync(node2, "fax-2-sending", _t);
        await RenderingAsync(node2, "fax-2-rendering", _t);
        await SendingAsync(node1, "fax-old-sending", _t);
        await RenderingAsync(node1, "fax-old-rendering", _t);
        await ClearClaimAsync(db, "fax-old-sending", "fax-old-rendering"); // claimed before 0059: no node named

        // Node 2 restarts while node 1 is in the middle of a call and a render.
        var requeued = await node2.RequeueInterruptedAsync(_t.AddSeconds(30), default);

        var rows = await RowsAsync(node1);
        var renderedNext = await node1.ClaimRenderAsync(_t.AddSeconds(31), default);
        var renderedAfter = await node1.ClaimRenderAsync(_t.AddSeconds(31), default);
        var renderedLast = await node1.ClaimRenderAsync(_t.AddSeconds(31), default);
        Assert.Multiple(() =>
        {
            Assert.That(requeued, Is.EqualTo(4), "node 2's own two and the two nobody was named on");
            Assert.That(rows["fax-1-sending"], Is.EqualTo((FaxStatus.Sending, (DateTimeOffset?)_t, "node-1", 1)), "node 1's call is left to it (due as it was)");
            Assert.That(rows["fax-1-rendering"], Is.EqualTo((FaxStatus.Rendering, (DateTimeOffset?)null, "node-1", 0)), "node 1's render is left to it, not due");
            Assert.That(rows["fax-2-sending"], Is.EqualTo((FaxStatus.Queued, (DateTimeOffset?)_t.AddSeconds(30), "node-2", 1)), "its own call, queued again");
            Assert.That(rows["fax-2-rendering"], Is.EqualTo((FaxStatus.Rendering, (DateTimeOffset?)_t.AddSeconds(30), "node-2", 0)), "its own render, due again");
            Assert.That(rows["fax-old-sending"], Is.EqualTo((FaxStatus.Queued, (DateTimeOffset?)_t.AddSeconds(30), (string?)null, 1)), "a claim from before 0059 is queued again");
            Assert.That(rows["fax-old-rendering"], Is.EqualTo((FaxStatus.Rendering, (DateTimeOffset?)_t.AddSeconds(30), (string?)null, 0)));
            Assert.That(new[] { renderedNext?.Id, renderedAfter?.Id }, Is.EquivalentTo(new[] { "fax-2-rendering", "fax-old-rendering" }), "the renders made due are taken again");
            Assert.That(renderedLast, Is.Null, "node 1's render in progress is not taken a second time");
            Assert.That(renderedNext!.ClaimedBy, Is.EqualTo("node-1"), "the new claim names the node that took it");
        });
    }

    [Test]
    public async Task APlatformAloneOnItsDatabaseRequeuesEveryClaimAtStartWhateverItsName()
    {
        await using var db = await CreateDatabaseAsync();
        var before = new FaxRepository(db.Factory, new FaxNode("old-hostname", SharesDatabase: false));
        await SendingAsync(before, "fax-sending", _t);
        await RenderingAsync(before, "fax-rendering", _t);

        // The machine's name, the node id when Cluster:NodeId is not set, changed with the restart (a container's).
        var after = new FaxRepository(db.Factory, new FaxNode("new-hostname", SharesDatabase: false));
        var requeued = await after.RequeueInterruptedAsync(_t.AddSeconds(30), default);

        var rows = await RowsAsync(after);
        Assert.Multiple(() =>
        {
            Assert.That(requeued, Is.EqualTo(2));
            Assert.That(rows["fax-sending"].Status, Is.EqualTo(FaxStatus.Queued));
            Assert.That(rows["fax-rendering"].NextAttemptAt, Is.EqualTo((DateTimeOffset?)_t.AddSeconds(30)));
        });
    }

    [Test]
    public async Task AClaimOlderThanTheTimeoutIsTakenBackOnceAndAYoungerOneIsNot()
    {
        await using var db = await CreateDatabaseAsync();
        var node1 = new FaxRepository(db.Factory, _node1);
        var node2 = new FaxRepository(db.Factory, _node2);
        await SendingAsync(node1, "fax-stale-sending", _t);
        await RenderingAsync(node1, "fax-stale-rendering", _t.AddSeconds(1));
        await SendingAsync(node1, "fax-young-sending", _t.AddMinutes(2));
        await RenderingAsync(node1, "fax-young-rendering", _t.AddMinutes(2));
        await SendingAsync(node1, "fax-unnamed-sending", _t.AddSeconds(2));
        await ClearClaimAsync(db, "fax-unnamed-sending");
        await node1.EnqueueAsync("fax-queued", "01088887777", "95580", "/f/q.pdf", "/f/q.tif", 1, _t, default); // old, but nobody's claim

        // One hour and one minute after the first claims: node 1 died then and never came back.
        var now = _t.AddHours(1).AddMinutes(1);
        var taken = await node2.TakeBackStaleClaimsAsync(now, _timeout, default);
        var again = await node1.TakeBackStaleClaimsAsync(now.AddSeconds(1), _timeout, default);

        var rows = await RowsAsync(node2);
        var lateRender = await node1.RenderedAsync("fax-stale-rendering", 3, now.AddSeconds(2), default);
        var lateFailure = await node1.RenderFailedAsync("fax-stale-rendering", "too late", now.AddSeconds(2), default);
        var stillRendering = await node2.GetAsync("fax-stale-rendering", default);
        Assert.Multiple(() =>
        {
            Assert.That(taken.Select(t => (t.Id, t.Status, t.HeldBy, t.ClaimedAt)), Is.EqualTo(new[]
            {
                ("fax-stale-sending", FaxStatus.Sending, (string?)"node-1", _t),
                ("fax-stale-rendering", FaxStatus.Rendering, (string?)"node-1", _t.AddSeconds(1)),
                ("fax-unnamed-sending", FaxStatus.Sending, (string?)null, _t.AddSeconds(2)),
            }));
            Assert.That(again, Is.Empty, "taken back once");
            Assert.That(rows["fax-stale-sending"], Is.EqualTo((FaxStatus.Queued, (DateTimeOffset?)now, "node-1", 1)), "queued again at once, its attempt counted");
            Assert.That(rows["fax-stale-rendering"], Is.EqualTo((FaxStatus.Rendering, (DateTimeOffset?)now, "node-1", 0)), "due for its render again");
            Assert.That(rows["fax-unnamed-sending"].Status, Is.EqualTo(FaxStatus.Queued));
            Assert.That(rows["fax-young-sending"], Is.EqualTo((FaxStatus.Sending, (DateTimeOffset?)_t.AddMinutes(2), "node-1", 1)), "claimed 59 minutes ago: still node 1's");
            Assert.That(rows["fax-young-rendering"], Is.EqualTo((FaxStatus.Rendering, (DateTimeOffset?)null, "node-1", 0)));
            Assert.That(rows["fax-queued"], Is.EqualTo((FaxStatus.Queued, (DateTimeOffset?)_t, (string?)null, 0)), "a queued fax holds no claim");
            Assert.That((lateRender, lateFailure), Is.EqualTo((false, false)), "a render whose claim was taken back writes nothing");
            Assert.That((stillRendering!.Status, stillRendering.DocumentPages, stillRendering.ResultText), Is.EqualTo((FaxStatus.Rendering, (int?)null, (string?)null)));
        });
    }

    [Test]
    public async Task TwoNodesClaimingAtOnceNeverTakeOneFaxTwice()
    {
        await using var db = await CreateDatabaseAsync();
        var node1 = new FaxRepository(db.Factory, _node1);
        var node2 = new FaxRepository(db.Factory, _node2);
        const int count = 30;
        for (var i = 0; i < count; i++)
        {
            await node1.EnqueueAsync($"fax-{i:D2}", "01088887777", "95580", "/f/x.pdf", "/f/x.tif", 1, _t, default);
        }

        var claims = await Task.WhenAll(ClaimAllAsync(node1), ClaimAllAsync(node2));

        var rows = await RowsAsync(node1);
        var claimed = claims[0].Concat(claims[1]).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(claims[0].Intersect(claims[1]), Is.Empty, "no fax claimed by both");
            Assert.That(claimed, Is.Unique);
            Assert.That(claimed.Count + rows.Values.Count(r => r.Status == FaxStatus.Queued), Is.EqualTo(count), "claimed or still queued, nothing lost");
            Assert.That(claims[0].All(id => rows[id].ClaimedBy == "node-1") && claims[1].All(id => rows[id].ClaimedBy == "node-2"), "each row names the node that took it");
            Assert.That(claimed.All(id => rows[id].Attempts == 1), "one claim each: one attempt counted");
        });

        // And the same for taking back: every claim is old now, and both nodes look at once.
        var later = _t.AddHours(2);
        var taken = await Task.WhenAll(node1.TakeBackStaleClaimsAsync(later, _timeout, default), node2.TakeBackStaleClaimsAsync(later, _timeout, default));
        var back = taken[0].Concat(taken[1]).Select(t => t.Id).ToList();
        Assert.That(back, Is.Unique.And.EquivalentTo(claimed), "each claim taken back by one node");
    }

    private static async Task<List<string>> ClaimAllAsync(FaxRepository repository)
    {
        var ids = new List<string>();
        while (await repository.ClaimDueAsync(_t.AddSeconds(1), default) is { } fax)
        {
            ids.Add(fax.Id);
        }

        return ids;
    }

    private async Task<TestDatabase> CreateDatabaseAsync()
    {
        var db = await TestDatabase.CreateAsync(provider);
        await new Migrator(db.Factory).MigrateAsync();
        return db;
    }

    // A fax queued and claimed by the node of `repository` at `at` ("sending").
    private static async Task SendingAsync(FaxRepository repository, string id, DateTimeOffset at)
    {
        await repository.EnqueueAsync(id, "01088887777", "95580", $"/f/{id}.pdf", $"/f/{id}.tif", 1, at, default);
        var claimed = await repository.ClaimDueAsync(at, default);
        Assert.That(claimed?.Id, Is.EqualTo(id), "the test's claim");
    }

    // A fax accepted before its render, whose render the node of `repository` took at `at` ("rendering", not due).
    private static async Task RenderingAsync(FaxRepository repository, string id, DateTimeOffset at)
    {
        await repository.QueueToRenderAsync(id, "01088887777", "95580", $"/f/{id}.pdf", $"/f/{id}.tif", at, null, default);
        var claimed = await repository.ClaimRenderAsync(at, default);
        Assert.That(claimed?.Id, Is.EqualTo(id), "the test's claim");
    }

    private static async Task ClearClaimAsync(TestDatabase db, params string[] ids)
    {
        await using var connection = await db.Factory.OpenAsync();
        foreach (var id in ids)
        {
            await connection.ExecuteAsync("UPDATE faxes SET claimed_by = NULL WHERE id = @id", new { id });
        }
    }

    private static async Task<Dictionary<string, (string Status, DateTimeOffset? NextAttemptAt, string? ClaimedBy, int Attempts)>> RowsAsync(FaxRepository repository)
    {
        var rows = await repository.ListAsync(FaxStatus.Outbound, 1000, default);
        return rows.ToDictionary(r => r.Id, r => (r.Status, r.NextAttemptAt, r.ClaimedBy, r.Attempts));
    }
}

/// <summary><c>Fax:ClaimTimeoutSeconds</c> must stay above the longest a fax call or a render can last.</summary>
public sealed class FaxClaimTimeoutOptionTests
{
    [Test]
    public void TheDefaultTimeoutIsAnHourAndPassesWithTheDefaultLimits()
    {
        var options = new FaxOptions();
        Assert.Multiple(() =>
        {
            Assert.That(options.ClaimTimeout, Is.EqualTo(TimeSpan.FromHours(1)));
            Assert.That(options.Validate(), Is.Empty);
        });
    }

    [TestCase(900, 60, 1499)]
    [TestCase(3600, 60, 3600)]
    [TestCase(900, 300, 2999)]
    [TestCase(900, 60, 604801)]
    public void ATimeoutAnAttemptOrARenderCouldOutlastIsRefusedNamingTheKey(int maxCallSeconds, int renderTimeoutSeconds, int claimTimeoutSeconds)
    {
        var errors = new FaxOptions { MaxCallSeconds = maxCallSeconds, RenderTimeoutSeconds = renderTimeoutSeconds, ClaimTimeoutSeconds = claimTimeoutSeconds }.Validate().ToList();
        Assert.That(errors, Has.Exactly(1).StartsWith("Fax:ClaimTimeoutSeconds must be at least Fax:MaxCallSeconds + 600"));
    }

    [Test]
    public void ALongerCallNeedsOnlyALongerTimeout() =>
        Assert.That(new FaxOptions { MaxCallSeconds = 3600, ClaimTimeoutSeconds = 4200 }.Validate(), Is.Empty);
}
