using CallCenter.Data.CallLists;
using CallCenter.Data.Calls;

namespace CallCenter.Data.Tests;

[TestFixtureSource(typeof(CallCenter.TestSupport.TestDatabases), nameof(CallCenter.TestSupport.TestDatabases.Providers))]
public sealed class RecordingRepositoryTests(string provider)
{
    private static readonly DateTimeOffset _start = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private static CallRecord Record(string id, int hour, string caller, string? agent, string queue, string tier, string disposition, string? code = null, bool recorded = true) => new()
    {
        Id = id,
        Caller = caller,
        Dialed = "95500",
        Tier = tier,
        Queue = queue,
        Agent = agent,
        StartedAt = _start.AddHours(hour),
        EndedAt = _start.AddHours(hour).AddMinutes(2),
        Disposition = disposition,
        WrapUpCode = code,
        Recording = recorded ? $"recordings/{id}.wav" : null,
        RecordingSha256 = recorded ? new string('a', 64) : null,
    };

    private static async Task<RecordingRepository> SeedAsync(TestDatabase db)
    {
        await new Migrator(db.Factory).MigrateAsync();
        var calls = new CallRecordRepository(db.Factory);
        await calls.InsertOnceAsync(Record("a", 0, "13800000001", "1001", "vip", "Diamond", "agent-hung-up", "resolved"));
        await calls.InsertOnceAsync(Record("b", 1, "13800000005", "1002", "general", "Effective", "caller-hung-up"));
        await calls.InsertOnceAsync(Record("c", 2, "13900000000", "1001", "general", "Unknown", "caller-hung-up", "complaint"));
        await calls.InsertOnceAsync(Record("d", 3, "13800000005", null, "general", "Effective", "abandoned", recorded: false));
        return new RecordingRepository(db.Factory);
    }

    private static RecordingQuery Any(int limit = 100) => new(null, null, null, null, null, null, null, false, limit);

    [Test]
    public async Task EachFilterNarrowsTheSearchNewestFirst()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var recordings = await SeedAsync(db);

        async Task<string[]> IdsAsync(RecordingQuery q) => [.. (await recordings.SearchAsync(q)).Select(e => e.Id)];

        Assert.That(await IdsAsync(Any()), Is.EqualTo(new[] { "d", "c", "b", "a" }));
        Assert.That(await IdsAsync(Any() with { RecordedOnly = true }), Is.EqualTo(new[] { "c", "b", "a" }));
        Assert.That(await IdsAsync(Any() with { From = _start.AddHours(1), To = _start.AddHours(3) }), Is.EqualTo(new[] { "c", "b" }));
        Assert.That(await IdsAsync(Any() with { Number = "00005" }), Is.EqualTo(new[] { "d", "b" }));
        Assert.That(await IdsAsync(Any() with { Agent = "1001" }), Is.EqualTo(new[] { "c", "a" }));
        Assert.That(await IdsAsync(Any() with { Queue = "vip" }), Is.EqualTo(new[] { "a" }));
        Assert.That(await IdsAsync(Any() with { Tier = "Effective" }), Is.EqualTo(new[] { "d", "b" }));
        Assert.That(await IdsAsync(Any() with { Disposition = "caller-hung-up" }), Is.EqualTo(new[] { "c", "b" }));
        Assert.That(await IdsAsync(Any() with { Disposition = "resolved" }), Is.EqualTo(new[] { "a" }));
        Assert.That(await IdsAsync(Any() with { Agent = "1001", Disposition = "complaint" }), Is.EqualTo(new[] { "c" }));
        Assert.That(await IdsAsync(Any(limit: 2)), Is.EqualTo(new[] { "d", "c" }));
    }

    [Test]
    public async Task AFlagIsSetOnceAndKeepsTheFirstFinding()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var recordings = await SeedAsync(db);

        Assert.That(await recordings.FlagAsync("a", RecordingFlags.HashMismatch, _start.AddDays(1)), Is.True);
        Assert.That(await recordings.FlagAsync("a", RecordingFlags.HashMismatch, _start.AddDays(2)), Is.False);
        var a = await recordings.FindAsync("a");

        Assert.That(a!.RecordingFlag, Is.EqualTo(RecordingFlags.HashMismatch));
        Assert.That(a.RecordingFlaggedAt, Is.EqualTo(_start.AddDays(1)));
        Assert.That((await recordings.FindAsync("b"))!.RecordingFlag, Is.Null);
    }

    [Test]
    public async Task ADeletedRecordingLeavesTheCandidatesAndKeepsItsPathAndHash()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var recordings = await SeedAsync(db);

        var before = await recordings.ListKeptStartedBeforeAsync(_start.AddHours(2), 100);
        Assert.That(before.Select(e => e.Id), Is.EqualTo(new[] { "a", "b" }));

        Assert.That(await recordings.MarkDeletedAsync("a", RecordingDeletions.Retention, _start.AddDays(400)), Is.True);
        Assert.That(await recordings.MarkDeletedAsync("a", RecordingDeletions.Retention, _start.AddDays(401)), Is.False);
        var a = await recordings.FindAsync("a");

        Assert.That((a!.RecordingDeletedAt, a.RecordingDeletedBy), Is.EqualTo(((DateTimeOffset?)_start.AddDays(400), RecordingDeletions.Retention)));
        Assert.That((a.Recording, a.RecordingSha256), Is.EqualTo(("recordings/a.wav", new string('a', 64))));
        Assert.That((await recordings.ListKeptStartedBeforeAsync(_start.AddHours(2), 100)).Select(e => e.Id), Is.EqualTo(new[] { "b" }));
    }

    [Test]
    public async Task TheCandidatesArePagedOldestFirstAfterTheLastOneSeen()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var recordings = await SeedAsync(db);

        var first = await recordings.ListKeptStartedBeforeAsync(_start.AddDays(1), 2);
        var second = await recordings.ListKeptStartedBeforeAsync(_start.AddDays(1), 2, first[^1]);

        Assert.That(first.Select(e => e.Id), Is.EqualTo(new[] { "a", "b" }));
        Assert.That(second.Select(e => e.Id), Is.EqualTo(new[] { "c" }));
    }

    [Test]
    public async Task TheReachedCallOfAComplianceListEntryIsNeverACandidateForRetentionButAFailedAttemptOrAGeneralListsCallIs()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var recordings = await SeedAsync(db);
        var lists = new CallListRepository(db.Factory);
        await lists.InsertListAsync(new CallListRow("risk", "Margin calls", "risk-notice", "general", 3, 60, "api-key", _start));
        await lists.InsertListAsync(new CallListRow("campaign", "December campaign", "general", "general", 3, 60, "api-key", _start));
        CallListEntryRow Entry(string id, string status, string? lastCall, string list = "risk") => new()
        {
            Id = id,
            ListId = list,
            Number = "13800000001",
            DueBy = _start.AddHours(4),
            Status = status,
            LastCallId = lastCall,
            CreatedAt = _start,
            UpdatedAt = _start,
        };

        // "a" is a risk notice's proof (the client reached); "b" was the attempt of an entry that failed in the end; "c"
        // reached a client of a general list (a campaign, no obligation to prove).
        await lists.InsertEntriesAsync([Entry("reached", CallListStatuses.Reached, "a"), Entry("failed", CallListStatuses.Failed, "b"), Entry("campaign", CallListStatuses.Reached, "c", "campaign")]);

        var candidates = await recordings.ListKeptStartedBeforeAsync(_start.AddDays(1), 100);

        Assert.That(candidates.Select(e => e.Id), Is.EqualTo(new[] { "b", "c" }), "the reached call's recording is kept as evidence; the others are retention's to judge");
    }
}
