using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using CallCenter.AgentDesk.Recordings;
using CallCenter.Data;
using CallCenter.Data.Calls;
using CallCenter.Data.Catalog;
using CallCenter.Data.Desk;
using CallCenter.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CallCenter.AgentDesk.Tests.Endpoints;

/// <summary>
/// /api/recordings on a test server with a real, migrated SQLite database and real files in a temporary
/// recordings directory: who may search, play and download, the SHA-256 check on the way out, the audit
/// rows, and the attacks (an agent's session, path traversal, guessed ids, a record pointing outside).
/// </summary>
public sealed class RecordingsEndpointsTests
{
    private static readonly DateTimeOffset _start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private string _file = "";
    private string _root = "";
    private string _directory = "";
    private WebApplication _app = null!;
    private AuditRepository _audit = null!;
    private RecordingRepository _recordings = null!;
    private readonly Dictionary<string, byte[]> _wavs = [];

    [SetUp]
    public async Task StartAsync()
    {
        _file = TestDatabases.NewSqliteFile();
        _root = Directory.CreateTempSubdirectory("recordings-test").FullName;
        _directory = Path.Combine(_root, "recordings");
        Directory.CreateDirectory(_directory);
        var factory = new DbConnectionFactory(new DatabaseOptions { ConnectionString = "Data Source=" + _file });
        await new Migrator(factory).MigrateAsync();
        var catalog = new CatalogRepository(factory);
        var hasher = new PasswordHasher<string>();
        await catalog.UpsertAgentAsync(new AgentRecord("1001", "赵敏", "callcenter", "a", "b"));
        await catalog.UpsertDeskUserAsync(new DeskUserRecord("1001", "agent", hasher.HashPassword("1001", "demo-1001"), "1001"));
        await catalog.UpsertDeskUserAsync(new DeskUserRecord("super", "supervisor", hasher.HashPassword("super", "demo-super"), null));

        var calls = new CallRecordRepository(factory);
        await calls.InsertOnceAsync(Recorded("0190000000a-00000000a1", 0, "13800000001", "vip", "Diamond"));
        await calls.InsertOnceAsync(Recorded("0190000000b-00000000b2", 1, "13800000005", "general", "Effective"));
        await calls.InsertOnceAsync(Record("0190000000c-00000000c3", 2, "13900000000", "general", "Unknown") with { Disposition = "abandoned", Agent = null });

        // A record whose path leaves the directory, with a file there that matches its hash.
        var outside = Path.Combine(_root, "secret.wav");
        var secret = Wav(7);
        await File.WriteAllBytesAsync(outside, secret);
        await calls.InsertOnceAsync(Record("0190000000d-00000000d4", 3, "13800000002", "vip", "Platinum") with
        {
            Recording = Path.Combine(_directory, "..", "secret.wav"),
            RecordingSha256 = Sha(secret),
        });

        _audit = new AuditRepository(factory);
        _recordings = new RecordingRepository(factory);
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddAgentDesk(new ApiOptions { Keys = ["test-api-key"] });
        builder.Services.AddSingleton(factory);
        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton(new RecordingFiles(_directory));
        EmptyRooms.Add(builder.Services, factory);
        _app = builder.Build();
        _app.MapAgentDesk();
        await _app.StartAsync();
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _app.DisposeAsync();
        TestDatabases.DeleteSqliteFile(_file);
        Directory.Delete(_root, recursive: true);
    }

    private CallRecord Recorded(string id, int hour, string caller, string queue, string tier)
    {
        var wav = Wav(hour + 1);
        var path = Path.Combine(_directory, id + ".wav");
        File.WriteAllBytes(path, wav);
        _wavs[id] = wav;
        return Record(id, hour, caller, queue, tier) with { Recording = path, RecordingSha256 = Sha(wav) };
    }

    private static CallRecord Record(string id, int hour, string caller, string queue, string tier) => new()
    {
        Id = id,
        Caller = caller,
        Dialed = "95500",
        Tier = tier,
        Queue = queue,
        Agent = "1001",
        StartedAt = _start.AddHours(hour),
        EndedAt = _start.AddHours(hour).AddMinutes(3),
        TalkSeconds = 170,
        Disposition = "agent-hung-up",
    };

    /// <summary>A small stereo 8 kHz WAV whose samples depend on <paramref name="seed"/>.</summary>
    private static byte[] Wav(int seed)
    {
        const int frames = 800;
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write("RIFF"u8);
        writer.Write(36 + (frames * 4));
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)1);
        writer.Write((short)2);
        writer.Write(8000);
        writer.Write(32000);
        writer.Write((short)4);
        writer.Write((short)16);
        writer.Write("data"u8);
        writer.Write(frames * 4);
        for (var i = 0; i < frames; i++)
        {
            writer.Write((short)(1000 * Math.Sin(i * seed * 0.05)));
            writer.Write((short)(1000 * Math.Cos(i * seed * 0.07)));
        }

        writer.Flush();
        return stream.ToArray();
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private HttpClient NewBrowser() =>
        new(new CookieJar(_app.GetTestServer().CreateHandler())) { BaseAddress = new Uri("http://localhost") };

    private async Task<HttpClient> SignedInAsync(string login, string password)
    {
        var browser = NewBrowser();
        using var response = await DeskForm.SignInAsync(browser, login, password);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "signed in");
        return browser;
    }

    [Test]
    public async Task ASupervisorSearchesByNumberQueueTierAndTime()
    {
        using var super = await SignedInAsync("super", "demo-super");

        async Task<string[]> IdsAsync(string query)
        {
            using var response = await super.GetAsync(new Uri("/api/recordings" + query, UriKind.Relative));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), query);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return [.. json.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()!)];
        }

        Assert.That(await IdsAsync("?number=00005"), Is.EqualTo(new[] { "0190000000b-00000000b2" }));
        Assert.That(await IdsAsync("?queue=vip&tier=Diamond"), Is.EqualTo(new[] { "0190000000a-00000000a1" }));
        Assert.That(await IdsAsync("?recorded=true&agent=1001&from=2026-12-01T09:30:00Z&to=2026-12-01T11:30:00Z"), Is.EqualTo(new[] { "0190000000b-00000000b2" }));
        Assert.That(await IdsAsync("?disposition=abandoned"), Is.EqualTo(new[] { "0190000000c-00000000c3" }));
        using var bad = await super.GetAsync(new Uri("/api/recordings?number=1%25", UriKind.Relative));
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using var badTime = await super.GetAsync(new Uri("/api/recordings?from=yesterday", UriKind.Relative));
        Assert.That(badTime.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task ASupervisorPlaysWithRangesAndDownloadsTheCheckedFileAndEachFetchIsAudited()
    {
        const string id = "0190000000a-00000000a1";
        using var super = await SignedInAsync("super", "demo-super");

        using var whole = await super.GetAsync(new Uri($"/api/recordings/{id}/audio", UriKind.Relative));
        var bytes = await whole.Content.ReadAsByteArrayAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/recordings/{id}/audio");
        request.Headers.Range = new RangeHeaderValue(1000, 1999);
        using var part = await super.SendAsync(request);
        var partBytes = await part.Content.ReadAsByteArrayAsync();
        using var download = await super.GetAsync(new Uri($"/api/recordings/{id}/download", UriKind.Relative));
        var downloaded = await download.Content.ReadAsByteArrayAsync();
        var audit = await _audit.ListAsync(10);

        Assert.That(whole.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(whole.Content.Headers.ContentType?.MediaType, Is.EqualTo("audio/wav"));
        Assert.That(whole.Headers.AcceptRanges, Does.Contain("bytes"));
        Assert.That(bytes, Is.EqualTo(_wavs[id]));
        Assert.That(whole.Headers.GetValues("X-Recording-Sha256").Single(), Is.EqualTo(Sha(_wavs[id])));
        Assert.That(part.StatusCode, Is.EqualTo(HttpStatusCode.PartialContent));
        Assert.That(partBytes, Is.EqualTo(_wavs[id][1000..2000]));
        Assert.That(download.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(download.Content.Headers.ContentDisposition?.DispositionType, Is.EqualTo("attachment"));
        Assert.That(download.Content.Headers.ContentDisposition?.FileName, Is.EqualTo(id + ".wav"));
        Assert.That(downloaded, Is.EqualTo(_wavs[id]));
        Assert.That(
            audit.Select(a => (a.Actor, a.Role, a.Action, a.Target, a.Outcome)),
            Is.EqualTo(new[]
            {
                ("super", "supervisor", "recording.download", id, AuditEntry.Done),
                ("super", "supervisor", "recording.play", id, AuditEntry.Done),
                ("super", "supervisor", "recording.play", id, AuditEntry.Done),
            }));
        Assert.That(audit[1].Detail, Does.Contain("bytes=1000-1999"));
        Assert.That(audit[0].At, Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(1)));

        using var listed = await super.GetAsync(new Uri($"/api/recordings/audit?id={id}", UriKind.Relative));
        using var json = JsonDocument.Parse(await listed.Content.ReadAsStringAsync());
        Assert.That(
            json.RootElement.EnumerateArray().Select(a => (a.GetProperty("actor").GetString(), a.GetProperty("action").GetString(), a.GetProperty("outcome").GetString())),
            Is.EqualTo(new[] { ("super", "recording.download", "done"), ("super", "recording.play", "done"), ("super", "recording.play", "done") }));
    }

    [Test]
    public async Task SeeksAreServedOnOneWholeCheckWhileTheFileIsUnchangedAndAChangeIsStillCaught()
    {
        const string id = "0190000000a-00000000a1";
        var library = _app.Services.GetRequiredService<RecordingLibrary>();
        using var super = await SignedInAsync("super", "demo-super");

        // The player's first fetch hashes the whole file; its seeks (byte ranges) do not hash it again.
        using var first = await super.GetAsync(new Uri($"/api/recordings/{id}/audio", UriKind.Relative));
        var afterFirst = library.WholeChecks;
        var seeks = new List<byte[]>();
        foreach (var from in new[] { 400, 800, 1600, 2400, 3000 })
        {
            using var seek = new HttpRequestMessage(HttpMethod.Get, $"/api/recordings/{id}/audio");
            seek.Headers.Range = new RangeHeaderValue(from, from + 99);
            using var part = await super.SendAsync(seek);
            Assert.That(part.StatusCode, Is.EqualTo(HttpStatusCode.PartialContent));
            seeks.Add(await part.Content.ReadAsByteArrayAsync());
        }

        var afterSeeks = library.WholeChecks;

        // A download and a play from the first byte (a player's bytes=0-, which fetches the whole file) always hash it.
        using var download = await super.GetAsync(new Uri($"/api/recordings/{id}/download", UriKind.Relative));
        var afterDownload = library.WholeChecks;
        using var fromStart = new HttpRequestMessage(HttpMethod.Get, $"/api/recordings/{id}/audio");
        fromStart.Headers.Range = new RangeHeaderValue(0, null);
        using var replay = await super.SendAsync(fromStart);
        var afterReplay = library.WholeChecks;

        // Changed in place (same length): the next seek sees a new write time, hashes, refuses and flags.
        var path = Path.Combine(_directory, id + ".wav");
        var tampered = (byte[])_wavs[id].Clone();
        tampered[900] ^= 0x01;
        await File.WriteAllBytesAsync(path, tampered);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        using var afterChange = new HttpRequestMessage(HttpMethod.Get, $"/api/recordings/{id}/audio");
        afterChange.Headers.Range = new RangeHeaderValue(100, 199);
        using var refused = await super.SendAsync(afterChange);

        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(afterFirst, Is.EqualTo(1));
            Assert.That(afterSeeks, Is.EqualTo(1), "five seeks, no whole-file hash");
            Assert.That(seeks[2], Is.EqualTo(_wavs[id][1600..1700]));
            Assert.That(download.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(afterDownload, Is.EqualTo(2));
            Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.PartialContent));
            Assert.That(afterReplay, Is.EqualTo(3), "bytes=0- is a whole play");
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(library.WholeChecks, Is.EqualTo(4));
        });
    }

    [Test]
    public async Task ATamperedFileIsRefusedFlaggedAndAuditedAndStaysRefusedWhenPutBack()
    {
        const string id = "0190000000b-00000000b2";
        using var super = await SignedInAsync("super", "demo-super");
        var path = Path.Combine(_directory, id + ".wav");
        var tampered = (byte[])_wavs[id].Clone();
        tampered[2000] ^= 0x01;
        await File.WriteAllBytesAsync(path, tampered);

        using var play = await super.GetAsync(new Uri($"/api/recordings/{id}/audio", UriKind.Relative));
        var body = await play.Content.ReadAsStringAsync();
        var entry = await _recordings.FindAsync(id);
        await File.WriteAllBytesAsync(path, _wavs[id]);
        using var again = await super.GetAsync(new Uri($"/api/recordings/{id}/download", UriKind.Relative));
        var audit = await _audit.ListAsync(10);

        Assert.That(play.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(body, Does.Contain("SHA-256").And.Contain("hash-mismatch"));
        Assert.That(body, Does.Not.Contain("RIFF"));
        Assert.That(entry!.RecordingFlag, Is.EqualTo(RecordingFlags.HashMismatch));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(audit.Select(a => (a.Action, a.Target, a.Outcome)), Is.EqualTo(new[]
        {
            ("recording.download", id, AuditEntry.Refused),
            ("recording.play", id, AuditEntry.Refused),
        }));

        using var list = await super.GetAsync(new Uri("/api/recordings?number=13800000005", UriKind.Relative));
        Assert.That(await list.Content.ReadAsStringAsync(), Does.Contain("\"recording\":\"flagged\""));
    }

    [Test]
    public async Task AnAgentGets403ForTheSearchThePlayerAndTheDownload()
    {
        using var agent = await SignedInAsync("1001", "demo-1001");

        foreach (var path in new[] { "/api/recordings", "/api/recordings/0190000000a-00000000a1/audio", "/api/recordings/0190000000a-00000000a1/download" })
        {
            using var response = await agent.GetAsync(new Uri(path, UriKind.Relative));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), path);
            Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.Not.EqualTo(_wavs["0190000000a-00000000a1"]));
        }

        using var anonymous = NewBrowser();
        using var unsigned = await anonymous.GetAsync(new Uri("/api/recordings/0190000000a-00000000a1/audio", UriKind.Relative));
        Assert.That(unsigned.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCase("..%2F..%2F..%2Fetc%2Fpasswd")]
    [TestCase("..%2Fsecret")]
    [TestCase("..%5C..%5Csecret")]
    [TestCase("0190000000a-00000000a1.wav")]
    [TestCase("0190000000a-00000000a2")]
    [TestCase("0190000000d-00000000d5")]
    public async Task TraversalAndGuessedIdsAreRefusedAndAudited(string id)
    {
        using var super = await SignedInAsync("super", "demo-super");

        using var response = await super.GetAsync(new Uri($"/api/recordings/{id}/audio", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        var audit = await _audit.ListAsync(10);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(body, Does.Not.Contain("RIFF").And.Not.Contain("root:"));
        Assert.That(audit.Single().Outcome, Is.EqualTo(AuditEntry.Refused));
    }

    [Test]
    public async Task ARecordWhosePathLeavesTheDirectoryIsNotServedThoughItsHashMatches()
    {
        using var super = await SignedInAsync("super", "demo-super");

        using var response = await super.GetAsync(new Uri("/api/recordings/0190000000d-00000000d4/audio", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(body, Does.Contain("outside"));
        Assert.That(body, Does.Not.Contain("RIFF"));
    }

    [Test]
    public async Task ACallWithoutARecordingOrWithOneDeletedByRetentionSaysSo()
    {
        using var super = await SignedInAsync("super", "demo-super");
        await _recordings.MarkDeletedAsync("0190000000a-00000000a1", RecordingDeletions.Retention, _start.AddYears(5));

        using var none = await super.GetAsync(new Uri("/api/recordings/0190000000c-00000000c3/audio", UriKind.Relative));
        using var deleted = await super.GetAsync(new Uri("/api/recordings/0190000000a-00000000a1/audio", UriKind.Relative));

        Assert.That(none.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await none.Content.ReadAsStringAsync(), Does.Contain("no recording"));
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.Gone));
        Assert.That(await deleted.Content.ReadAsStringAsync(), Does.Contain("retention").And.Contain("2031-12-01"));
    }
}
