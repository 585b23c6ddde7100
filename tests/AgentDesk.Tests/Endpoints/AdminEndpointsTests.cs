using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CallCenter.AgentDesk.Admin;
using CallCenter.Contracts.Agents;
using CallCenter.Data;
using CallCenter.Data.Catalog;
using CallCenter.Data.Desk;
using CallCenter.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CallCenter.AgentDesk.Tests.Endpoints;

public sealed partial class AdminEndpointsTests
{
    private const string Key = "test-api-key";
    private const string Header = "phone,name,account_masked,tier,manager_extension,language,branch";

    private static readonly AdminSettings _settings = new(
        "callcenter",
        [
            new AdminQueueSettings("general", ["stocks"], 50, 600, "callback", "LongestIdle", false),
            new AdminQueueSettings("vip", [], 0, 120, "general", "FewestCalls", true),
        ],
        new AdminTierSettings(
            ["Diamond", "Platinum", "Gold", "Quality", "Effective", "Dormant"],
            new Dictionary<string, int> { ["Diamond"] = 600, ["Gold"] = 240 },
            new Dictionary<string, decimal> { ["DiamondEquity"] = 10_000_000m, ["GoldFees"] = 10_000m },
            ReviewJob: true,
            ReviewDay: 1,
            ReviewHour: 2));

    private readonly ConcurrentQueue<string> _log = new();
    private string _file = "";
    private WebApplication _app = null!;
    private DbConnectionFactory _factory = null!;
    private AgentStates _states = null!;
    private CatalogChanges _changes = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _file = TestDatabases.NewSqliteFile();
        _factory = new DbConnectionFactory(new DatabaseOptions { ConnectionString = "Data Source=" + _file });
        await new Migrator(_factory).MigrateAsync();
        var catalog = new CatalogRepository(_factory);
        var hasher = new PasswordHasher<string>();
        await catalog.UpsertAgentAsync(new AgentRecord("1001", "赵敏", "callcenter", "a", "b", "zh,en"));
        await catalog.UpsertDeskUserAsync(new DeskUserRecord("1001", "agent", hasher.HashPassword("1001", "demo-1001"), "1001"));
        await catalog.UpsertDeskUserAsync(new DeskUserRecord("super", "supervisor", hasher.HashPassword("super", "demo-super"), null));
        await catalog.UpsertDeskUserAsync(new DeskUserRecord("admin", "admin", hasher.HashPassword("admin", "demo-admin"), null));
        await catalog.UpsertClientAsync(new ClientRecord("13800000001", "王建国", "****0001", "Diamond", "1001", "zh", "上海浦东营业部"));
        _states = new AgentStates();
        _changes = new CatalogChanges();

        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders().AddProvider(new Hubs.LineLoggerProvider(_log));
        builder.Services.AddAgentDesk(new ApiOptions { Keys = [Key] });
        builder.Services.AddSingleton(_factory);
        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton(_settings);
        builder.Services.AddSingleton<IAgentStates>(_states);
        builder.Services.AddSingleton<IAgentCatalogChanges>(_changes);
        EmptyRooms.Add(builder.Services, _factory);
        _app = builder.Build();
        _app.MapAgentDesk();
        await _app.StartAsync();
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _app.DisposeAsync();
        CallCenter.TestSupport.TestDatabases.DeleteSqliteFile(_file);
    }

    [Test]
    public async Task AnAdminsCookieAndAnApiKeyAreLetInASupervisorsAndAnAgentsAreForbidden()
    {
        using var admin = await SignedInAsync("admin", "demo-admin");
        using var supervisor = await SignedInAsync("super", "demo-super");
        using var agent = await SignedInAsync("1001", "demo-1001");
        using var anonymous = NewBrowser();
        using var api = ApiClient();

        var statuses = new List<HttpStatusCode>();
        foreach (var client in new[] { admin, api, supervisor, agent, anonymous })
        {
            using var response = await client.GetAsync(new Uri("/api/admin/agents", UriKind.Relative));
            statuses.Add(response.StatusCode);
        }

        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Unauthorized }));
        using var supervisorWrite = await supervisor.PutAsync(new Uri("/api/admin/disposition-codes/x", UriKind.Relative), Json(new { labelZh = "x", labelEn = "x" }));
        Assert.That(supervisorWrite.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task AnyDeskUserGetsAnAntiforgeryTokenAndNobodyElse()
    {
        using var agent = await SignedInAsync("1001", "demo-1001");
        using var anonymous = NewBrowser();

        using var token = await agent.GetAsync(new Uri("/desk/antiforgery", UriKind.Relative));
        using var none = await anonymous.GetAsync(new Uri("/desk/antiforgery", UriKind.Relative));

        Assert.That(token.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var json = JsonDocument.Parse(await token.Content.ReadAsStringAsync());
        Assert.That(json.RootElement.GetProperty("token").GetString(), Is.Not.Empty);
        Assert.That(none.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task ACookieWriteWithoutAValidAntiforgeryHeaderIsRefusedAndAudited()
    {
        using var admin = await SignedInAsync("admin", "demo-admin");
        var body = new { labelZh = "开户咨询", labelEn = "Account opening", active = true, sortOrder = 80 };

        using var missing = await admin.PutAsync(new Uri("/api/admin/disposition-codes/account-opening", UriKind.Relative), Json(body));
        using var forged = await SendAsync(admin, HttpMethod.Put, "/api/admin/disposition-codes/account-opening", Json(body), "not-a-token");

        Assert.That((missing.StatusCode, forged.StatusCode), Is.EqualTo((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest)));
        Assert.That(await FieldOfAsync(missing), Is.EqualTo("X-CSRF-TOKEN"));
        Assert.That((await CodesAsync()).Select(c => c.Code), Does.Not.Contain("account-opening"));
        var audit = await new AuditRepository(_factory).ListAsync(10);
        Assert.That(audit, Has.Count.EqualTo(2).And.All.Property(nameof(AuditEntry.Outcome)).EqualTo(AuditEntry.Refused).And.All.Property(nameof(AuditEntry.Actor)).EqualTo("admin"));
        Assert.That(_log, Has.Some.Contains("anti-forgery"));
    }

    [Test]
    public async Task ACookieWriteWithTheTokenIsDoneAndAudited()
    {
        using var admin = await SignedInAsync("admin", "demo-admin");
        var token = await TokenAsync(admin);

        using var response = await SendAsync(
            admin, HttpMethod.Put, "/api/admin/disposition-codes/account-opening", Json(new { labelZh = "开户咨询", labelEn = "Account opening", active = true, sortOrder = 80 }), token);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That((await CodesAsync()).Single(c => c.Code == "account-opening"), Is.EqualTo(new DispositionCode("account-opening", "开户咨询", "Account opening", true, 80)));
        var entry = (await new AuditRepository(_factory).ListAsync(1)).Single();
        Assert.That((entry.Actor, entry.Role, entry.Action, entry.Target, entry.Outcome), Is.EqualTo(("admin", "admin", "admin.disposition-code.save", "account-opening", AuditEntry.Done)));
    }

    [Test]
    public async Task AnApiKeyWriteNeedsNoAntiforgeryTokenAndIsAuditedAsTheApiKey()
    {
        using var api = ApiClient();

        using var response = await api.PutAsync(new Uri("/api/admin/disposition-codes/wrong-number", UriKind.Relative), Json(new { labelZh = "打错", labelEn = "Wrong number", active = false, sortOrder = 5 }));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await CodesAsync()).Single(c => c.Code == "wrong-number"), Is.EqualTo(new DispositionCode("wrong-number", "打错", "Wrong number", false, 5)));
        Assert.That((await new AuditRepository(_factory).ListAsync(1)).Single().Actor, Is.EqualTo("api-key"));
    }

    [Test]
    public async Task DispositionCodesAreListedInactiveOnesToo()
    {
        using var api = ApiClient();
        await new DispositionCodeRepository(_factory).UpsertAsync(new DispositionCode("complaint", "投诉", "Complaint", false, 50));

        using var json = await GetJsonAsync(api, "/api/admin/disposition-codes");

        var codes = json.RootElement.EnumerateArray().ToList();
        Assert.That(codes.Select(c => c.GetProperty("code").GetString()), Does.Contain("resolved").And.Contain("complaint"));
        var complaint = codes.Single(c => c.GetProperty("code").GetString() == "complaint");
        Assert.That(complaint.GetProperty("active").GetBoolean(), Is.False);
        Assert.That(complaint.GetProperty("labelZh").GetString(), Is.EqualTo("投诉"));
        Assert.That(complaint.GetProperty("labelEn").GetString(), Is.EqualTo("Complaint"));
        Assert.That(complaint.GetProperty("sortOrder").GetInt32(), Is.EqualTo(50));
    }

    [TestCase("Bad_Code", "{\"labelZh\":\"a\",\"labelEn\":\"a\"}", "code")]
    [TestCase("a-very-long-code-that-is-over-the-limit", "{\"labelZh\":\"a\",\"labelEn\":\"a\"}", "code")]
    [TestCase("ok", "{\"labelEn\":\"a\"}", "labelZh")]
    [TestCase("ok", "{\"labelZh\":\"a\",\"labelEn\":\"  \"}", "labelEn")]
    [TestCase("ok", "{\"labelZh\":\"a\",\"labelEn\":\"a\",\"sortOrder\":-1}", "sortOrder")]
    [TestCase("ok", "{\"labelZh\":", "body")]
    public async Task ABadDispositionCodeIsA400NamingTheField(string code, string body, string field)
    {
        using var api = ApiClient();

        using var response = await api.PutAsync(new Uri("/api/admin/disposition-codes/" + code, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await FieldOfAsync(response), Is.EqualTo(field));
        Assert.That((await new AuditRepository(_factory).ListAsync(1)).Single().Outcome, Is.EqualTo(AuditEntry.Refused));
    }

    [Test]
    public async Task AgentsAreListedWithSkillsAndKind()
    {
        using var api = ApiClient();

        using var json = await GetJsonAsync(api, "/api/admin/agents");

        var agent = json.RootElement.EnumerateArray().Single();
        Assert.That(agent.GetProperty("extension").GetString(), Is.EqualTo("1001"));
        Assert.That(agent.GetProperty("name").GetString(), Is.EqualTo("赵敏"));
        Assert.That(agent.GetProperty("skills").EnumerateArray().Select(s => s.GetString()), Is.EqualTo(new[] { "zh", "en" }));
        Assert.That(agent.GetProperty("kind").GetString(), Is.EqualTo("agent"));
    }

    [Test]
    public async Task ANewAgentIsCreatedCanSignInAtTheDeskAndJoinsTheRunningRoster()
    {
        using var admin = await SignedInAsync("admin", "demo-admin");
        var token = await TokenAsync(admin);

        using var response = await SendAsync(
            admin, HttpMethod.Put, "/api/admin/agents/1005", Json(new { name = " 吴新 Wu Xin ", skills = new[] { "zh", "futures", "zh" }, password = "s3cret-pass-1005" }), token);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(json.RootElement.GetProperty("name").GetString(), Is.EqualTo("吴新 Wu Xin"));
        Assert.That(json.RootElement.GetProperty("skills").EnumerateArray().Select(s => s.GetString()), Is.EqualTo(new[] { "zh", "futures" }));
        Assert.That(json.RootElement.GetProperty("kind").GetString(), Is.EqualTo("agent"));
        Assert.That(_changes.Saved, Is.EqualTo(new[] { ("1005", "zh,futures", "agent") }));
        var stored = await new CatalogRepository(_factory).FindAgentAsync("1005");
        Assert.That(stored!.SipHa1Md5, Is.EqualTo(AgentPasswords.For("1005", "callcenter", "s3cret-pass-1005").SipHa1Md5));
        using var newAgent = await SignedInAsync("1005", "s3cret-pass-1005");
        using var me = await GetJsonAsync(newAgent, "/desk/me");
        Assert.That(me.RootElement.GetProperty("role").GetString(), Is.EqualTo("agent"));
        Assert.That(me.RootElement.GetProperty("agent").GetString(), Is.EqualTo("1005"));
        var entry = (await new AuditRepository(_factory).ListAsync(1)).Single();
        Assert.That((entry.Action, entry.Target, entry.Outcome), Is.EqualTo(("admin.agent.save", "1005", AuditEntry.Done)));
        Assert.That(entry.Detail, Does.Contain("password set").And.Not.Contain("s3cret-pass-1005"));
        Assert.That(_log, Has.None.Contains("s3cret-pass-1005"));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Not.Contain("s3cret"));
    }

    [Test]
    public async Task AnAgentsContactForManagerListsIsSetReadClearedAndABadOneRefused()
    {
        using var api = ApiClient();

        using var set = await api.PutAsync(new Uri("/api/admin/agents/1001/contact", UriKind.Relative), Json(new { mobile = "13900001004", email = "zhao@broker.example" }));
        var stored = await new AdminAgentRepository(_factory).ContactAsync("1001");
        using var read = await api.GetAsync(new Uri("/api/admin/agents/1001/contact", UriKind.Relative));
        using var badMobile = await api.PutAsync(new Uri("/api/admin/agents/1001/contact", UriKind.Relative), Json(new { mobile = "139-0000", email = "" }));
        using var badEmail = await api.PutAsync(new Uri("/api/admin/agents/1001/contact", UriKind.Relative), Json(new { mobile = "", email = "a@b.example>, c@d.example" }));
        using var unknown = await api.PutAsync(new Uri("/api/admin/agents/1999/contact", UriKind.Relative), Json(new { mobile = "13900001004" }));
        var afterRefusals = await new AdminAgentRepository(_factory).ContactAsync("1001");
        using var cleared = await api.PutAsync(new Uri("/api/admin/agents/1001/contact", UriKind.Relative), Json(new { mobile = "", email = (string?)null }));
        var readBody = await read.Content.ReadAsStringAsync();
        var afterClearing = await new AdminAgentRepository(_factory).ContactAsync("1001");

        Assert.Multiple(() =>
        {
            Assert.That(set.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(stored, Is.EqualTo(("13900001004", "zhao@broker.example")));
            Assert.That(readBody, Does.Contain("\"mobile\":\"13900001004\""));
            Assert.That((badMobile.StatusCode, badEmail.StatusCode, unknown.StatusCode), Is.EqualTo((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.NotFound)));
            Assert.That(afterRefusals, Is.EqualTo(stored), "a refused change leaves the contact as it was");
            Assert.That(cleared.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(afterClearing, Is.EqualTo(((string?)null, (string?)null)));
        });
    }

    [Test]
    public async Task AnUpdateWithoutAPasswordChangesNameAndSkillsAndKeepsThePassword()
    {
        using var api = ApiClient();

        using var response = await api.PutAsync(new Uri("/api/admin/agents/1001", UriKind.Relative), Json(new { name = "赵敏 Zhao Min", skills = new[] { "zh", "complaints" } }));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_changes.Saved, Is.EqualTo(new[] { ("1001", "zh,complaints", "agent") }));
        using var agent = await SignedInAsync("1001", "demo-1001");
        using var me = await agent.GetAsync(new Uri("/desk/me", UriKind.Relative));
        Assert.That(me.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the old password still signs in");
    }

    [Test]
    public async Task ANewPasswordEndsTheAgentsSessionsAndOnlyTheirs()
    {
        using var agent = await SignedInAsync("1001", "demo-1001");
        using var supervisor = await SignedInAsync("super", "demo-super");
        using var api = ApiClient();

        using var response = await api.PutAsync(new Uri("/api/admin/agents/1001", UriKind.Relative), Json(new { name = "赵敏", skills = new[] { "zh" }, password = "a-new-secret-1001" }));
        using var agentAfter = await agent.GetAsync(new Uri("/desk/me", UriKind.Relative));
        using var supervisorAfter = await supervisor.GetAsync(new Uri("/desk/me", UriKind.Relative));
        using var again = await SignedInAsync("1001", "a-new-secret-1001");
        using var newSession = await again.GetAsync(new Uri("/desk/me", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(agentAfter.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the session from before the change has ended");
        Assert.That(supervisorAfter.StatusCode, Is.EqualTo(HttpStatusCode.OK), "another user's session goes on");
        Assert.That(newSession.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("10x1", "{\"name\":\"A\",\"skills\":[],\"password\":\"long-enough\"}", "extension")]
    [TestCase("1005", "{\"name\":\"\",\"skills\":[],\"password\":\"long-enough\"}", "name")]
    [TestCase("1005", "{\"skills\":[],\"password\":\"long-enough\"}", "name")]
    [TestCase("1005", "{\"name\":\"A\",\"password\":\"long-enough\"}", "skills")]
    [TestCase("1005", "{\"name\":\"A\",\"skills\":[\"Stocks\"],\"password\":\"long-enough\"}", "skills")]
    [TestCase("1005", "{\"name\":\"A\",\"skills\":[\"stock-1\"],\"password\":\"long-enough\"}", "skills")]
    [TestCase("1005", "{\"name\":\"A\",\"skills\":[\"\"],\"password\":\"long-enough\"}", "skills")]
    [TestCase("1005", "{\"name\":\"A\",\"skills\":[],\"password\":\"short\"}", "password")]
    [TestCase("1005", "{\"name\":\"A\",\"skills\":[\"zh\"]}", "password")]
    [TestCase("1005", "not json", "body")]
    public async Task ABadAgentIsA400NamingTheFieldAndNothingChanges(string extension, string body, string field)
    {
        using var api = ApiClient();

        using var response = await api.PutAsync(new Uri("/api/admin/agents/" + extension, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await FieldOfAsync(response), Is.EqualTo(field));
        Assert.That(await new AdminAgentRepository(_factory).FindAsync("1005"), Is.Null);
        Assert.That(_changes.Saved, Is.Empty);
        Assert.That((await new AuditRepository(_factory).ListAsync(1)).Single().Outcome, Is.EqualTo(AuditEntry.Refused));
    }

    [Test]
    public async Task MoreThan32SkillsOrALongSkillAreRefused()
    {
        using var api = ApiClient();

        using var many = await api.PutAsync(new Uri("/api/admin/agents/1001", UriKind.Relative), Json(new { name = "A", skills = Enumerable.Range(0, 33).Select(i => new string((char)('a' + (i % 26)), 1 + (i / 26))) }));
        using var longSkill = await api.PutAsync(new Uri("/api/admin/agents/1001", UriKind.Relative), Json(new { name = "A", skills = new[] { new string('a', 33) } }));
        using var atLimit = await api.PutAsync(new Uri("/api/admin/agents/1001", UriKind.Relative), Json(new { name = "A", skills = new[] { new string('a', 32) } }));

        Assert.That((many.StatusCode, longSkill.StatusCode, atLimit.StatusCode), Is.EqualTo((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.OK)));
    }

    [Test]
    public async Task AnAgentWhoIsNotOfflineIsNotDeleted()
    {
        using var api = ApiClient();
        await new CatalogRepository(_factory).UpsertAgentAsync(new AgentRecord("1002", "钱磊", "callcenter", "a", "b"));
        _states.Set("1002", "available");

        using var response = await api.DeleteAsync(new Uri("/api/admin/agents/1002", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("available"));
        Assert.That(await new AdminAgentRepository(_factory).FindAsync("1002"), Is.Not.Null);
        Assert.That(_changes.Removed, Is.Empty);
    }

    [Test]
    public async Task AnOfflineAgentIsDeletedAndLeavesTheRoster()
    {
        using var admin = await SignedInAsync("admin", "demo-admin");
        await new CatalogRepository(_factory).UpsertAgentAsync(new AgentRecord("1002", "钱磊", "callcenter", "a", "b"));
        _states.Set("1002", "offline");

        using var response = await SendAsync(admin, HttpMethod.Delete, "/api/admin/agents/1002", null, await TokenAsync(admin));
        using var again = await SendAsync(admin, HttpMethod.Delete, "/api/admin/agents/1002", null, await TokenAsync(admin));

        Assert.That((response.StatusCode, again.StatusCode), Is.EqualTo((HttpStatusCode.NoContent, HttpStatusCode.NotFound)));
        Assert.That(_changes.Removed, Is.EqualTo(new[] { "1002" }));
        var audit = await new AuditRepository(_factory).ListAsync(2);
        Assert.That(audit.Select(e => (e.Action, e.Target, e.Outcome)), Is.EqualTo(new[]
        {
            ("admin.agent.delete", "1002", AuditEntry.Refused),
            ("admin.agent.delete", "1002", AuditEntry.Done),
        }));
    }

    [Test]
    public async Task AnAccountManagerIsNotDeleted()
    {
        using var api = ApiClient();

        using var response = await api.DeleteAsync(new Uri("/api/admin/agents/1001", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("account manager of 1 clients"));
    }

    [Test]
    public async Task TheQueuesAreShownAsConfigured()
    {
        using var api = ApiClient();

        using var json = await GetJsonAsync(api, "/api/admin/queues");

        var vip = json.RootElement.EnumerateArray().Single(q => q.GetProperty("id").GetString() == "vip");
        Assert.That(vip.GetProperty("maxLength").GetInt32(), Is.Zero);
        Assert.That(vip.GetProperty("maxWaitSeconds").GetInt32(), Is.EqualTo(120));
        Assert.That(vip.GetProperty("overflow").GetString(), Is.EqualTo("general"));
        Assert.That(vip.GetProperty("strategy").GetString(), Is.EqualTo("FewestCalls"));
        Assert.That(vip.GetProperty("closed").GetBoolean(), Is.True);
        var general = json.RootElement.EnumerateArray().Single(q => q.GetProperty("id").GetString() == "general");
        Assert.That(general.GetProperty("skills").EnumerateArray().Select(s => s.GetString()), Is.EqualTo(new[] { "stocks" }));
    }

    [Test]
    public async Task TheTiersShowTheirBonusAndThresholds()
    {
        using var api = ApiClient();

        using var json = await GetJsonAsync(api, "/api/admin/tiers");

        var tiers = json.RootElement;
        Assert.That(tiers.GetProperty("tiers").EnumerateArray().Select(t => t.GetString()).First(), Is.EqualTo("Diamond"));
        Assert.That(tiers.GetProperty("bonusSeconds").GetProperty("Diamond").GetInt32(), Is.EqualTo(600));
        Assert.That(tiers.GetProperty("thresholds").GetProperty("DiamondEquity").GetDecimal(), Is.EqualTo(10_000_000m));
        Assert.That(tiers.GetProperty("reviewJob").GetBoolean(), Is.True);
    }

    [Test]
    public async Task AClientFileImportsItsGoodRowsAndReportsEachBadOneWithItsLine()
    {
        using var admin = await SignedInAsync("admin", "demo-admin");
        var csv = "\uFEFF" + Header + "\r\n"
            + "13800000001,王建国,****0001,Platinum,1001,zh,北京金融街营业部\r\n"     // 2: updates a known client
            + "13900000001,\"Chen, Emily\",62**,Gold,,en,\"Shanghai \"\"Pudong\"\"\"\r\n" // 3: new, quoted
            + "13900000002,Too,few,columns\r\n"                                    // 4
            + "13900000003,Full account,6225123412340003,Gold,,zh,b\r\n"          // 5
            + "13900000004,Nobody's client,****4,Gold,1999,zh,b\r\n"              // 6
            + "13900000005,Bad tier,****5,Bronze,,zh,b\r\n"                       // 7
            + "13900000006,Bad quote,****6,Gold,,zh,b\"x\r\n"                     // 8
            + "13900000001,Again,****1,Gold,,en,b\r\n"                            // 9
            + "abc,Bad phone,****7,Gold,,zh,b\r\n"                                // 10
            + "13900000008,Bad language,****8,Gold,,fr,b\r\n"                     // 11
            + "13900000009,Last good,****9,Quality,1001,zh,b\r\n";                // 12

        using var response = await SendAsync(admin, HttpMethod.Post, "/api/admin/clients/import", Csv(csv), await TokenAsync(admin));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(json.RootElement.GetProperty("imported").GetInt32(), Is.EqualTo(2));
        Assert.That(json.RootElement.GetProperty("updated").GetInt32(), Is.EqualTo(1));
        var rejected = json.RootElement.GetProperty("rejected").EnumerateArray()
            .Select(r => (r.GetProperty("line").GetInt32(), r.GetProperty("reason").GetString()!))
            .ToList();
        Assert.That(rejected.Select(r => r.Item1), Is.EqualTo(new[] { 4, 5, 6, 7, 8, 9, 10, 11 }));
        Assert.That(rejected[0].Item2, Does.Contain("expected 7 columns, found 4"));
        Assert.That(rejected[1].Item2, Does.Contain("account_masked").And.Not.Contain("6225123412340003"));
        Assert.That(rejected[2].Item2, Does.Contain("1999"));
        Assert.That(rejected[3].Item2, Does.Contain("Bronze"));
        Assert.That(rejected[4].Item2, Does.Contain("malformed"));
        Assert.That(rejected[5].Item2, Does.Contain("already on line 3"));
        Assert.That(rejected[6].Item2, Does.Contain("phone"));
        Assert.That(rejected[7].Item2, Does.Contain("language"));

        var catalog = new CatalogRepository(_factory);
        Assert.That(await catalog.FindClientAsync("13800000001"), Is.EqualTo(new ClientRecord("13800000001", "王建国", "****0001", "Platinum", "1001", "zh", "北京金融街营业部")));
        Assert.That(await catalog.FindClientAsync("13900000001"), Is.EqualTo(new ClientRecord("13900000001", "Chen, Emily", "62**", "Gold", null, "en", "Shanghai \"Pudong\"")));
        Assert.That((await catalog.FindClientAsync("13900000009"))!.Tier, Is.EqualTo("Quality"));
        Assert.That(await catalog.FindClientAsync("13900000003"), Is.Null);
        var entry = (await new AuditRepository(_factory).ListAsync(1)).Single();
        Assert.That((entry.Action, entry.Outcome, entry.Detail), Is.EqualTo(("admin.clients.import", AuditEntry.Done, "imported=2; updated=1; rejected=8")));
    }

    [Test]
    public async Task AClientsCallHoursAreImportedShownKeptByAFileWithoutTheColumnAndABadValueIsRejectedWithItsLine()
    {
        using var api = ApiClient();
        var csv = Header + ",call_hours\n"
            + "13900000101,Hours,****1,Gold,,zh,b,14:00-16:00\n"   // 2
            + "13900000102,Bad,****2,Gold,,zh,b,16:00-16:00\n";    // 3

        using var response = await api.PostAsync(new Uri("/api/admin/clients/import", UriKind.Relative), Csv(csv));
        using var again = await api.PostAsync(new Uri("/api/admin/clients/import", UriKind.Relative), Csv(Header + "\n13900000101,Renamed,****1,Gold,,zh,b\n"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var rejected = json.RootElement.GetProperty("rejected").EnumerateArray().Single();
        Assert.That(rejected.GetProperty("line").GetInt32(), Is.EqualTo(3));
        Assert.That(rejected.GetProperty("reason").GetString(), Does.Contain("call_hours \"16:00-16:00\""));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var stored = await new CatalogRepository(_factory).FindClientAsync("13900000101");
        Assert.That((stored!.Name, stored.CallHours), Is.EqualTo(("Renamed", "14:00-16:00")));
    }

    [Test]
    public async Task AFileWithoutTheHeaderIsA400AndImportsNothing()
    {
        using var api = ApiClient();

        using var response = await api.PostAsync(new Uri("/api/admin/clients/import", UriKind.Relative), Csv("13900000001,A,****1,Gold,,zh,b\n"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await FieldOfAsync(response), Is.EqualTo("header"));
        Assert.That(await new CatalogRepository(_factory).FindClientAsync("13900000001"), Is.Null);
    }

    [Test]
    public async Task TheGradingFeedStoresGoodMonthsForTheReviewAndReportsBadRowsWithTheirLines()
    {
        using var api = ApiClient();
        var csv = "phone,month,average_equity,fees,month_end_equity\n"
            + "13800000001,2026-07,12000000,90000,\n"      // 2
            + "13800000001,2026-08,11000000.50,80000,\n"   // 3
            + "13900000404,2026-08,1,1,\n"                 // 4 not a client
            + "13800000001,2026-09,abc,1,\n";              // 5

        using var response = await api.PostAsync(new Uri("/api/admin/clients/figures", UriKind.Relative), Csv(csv));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(json.RootElement.GetProperty("imported").GetInt32(), Is.EqualTo(2));
        var rejected = json.RootElement.GetProperty("rejected").EnumerateArray().Select(r => r.GetProperty("line").GetInt32()).ToList();
        Assert.That(rejected, Is.EqualTo(new[] { 4, 5 }));
        var stored = (await new CallCenter.Data.Clients.ClientFiguresRepository(_factory).LoadReviewDataAsync(["2026-07", "2026-08", "2026-09"])).Single();
        Assert.That(stored.Months.Select(m => (m.Month, m.AverageEquity, m.Fees)), Is.EquivalentTo(new[] { ("2026-07", 12_000_000m, 90_000m), ("2026-08", 11_000_000.50m, 80_000m) }));
        var entry = (await new AuditRepository(_factory).ListAsync(1)).Single();
        Assert.That((entry.Action, entry.Outcome, entry.Detail), Is.EqualTo(("admin.clients.figures", AuditEntry.Done, "imported=2; rejected=2")));
    }

    [Test]
    public async Task AnImportThatIsNotCsvIs415()
    {
        using var api = ApiClient();

        using var json = await api.PostAsync(new Uri("/api/admin/clients/import", UriKind.Relative), Json(new { phone = "1" }));
        using var latin1 = await api.PostAsync(new Uri("/api/admin/clients/import", UriKind.Relative), new StringContent(Header, Encoding.Latin1, "text/csv"));

        Assert.That((json.StatusCode, latin1.StatusCode), Is.EqualTo((HttpStatusCode.UnsupportedMediaType, HttpStatusCode.UnsupportedMediaType)));
    }

    [Test]
    public async Task AFileOverFiveMegabytesIs413AndImportsNothing()
    {
        using var api = ApiClient();
        var csv = new StringBuilder(Header).Append('\n').Append("13900000001,A,****1,Gold,,zh,b\n");
        csv.Append(new string('#', ClientCsvUpload.MaxBytes));

        using var response = await api.PostAsync(new Uri("/api/admin/clients/import", UriKind.Relative), Csv(csv.ToString()));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(await new CatalogRepository(_factory).FindClientAsync("13900000001"), Is.Null);
    }

    [Test]
    public async Task AStreamedFileWithoutALengthIsCutOffAtFiveMegabytesWith413()
    {
        using var api = ApiClient();
        var bytes = Encoding.UTF8.GetBytes(Header + "\n13900000001,A,****1,Gold,,zh,b\n" + new string('#', ClientCsvUpload.MaxBytes));
        using var content = new UnsizedContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");

        using var response = await api.PostAsync(new Uri("/api/admin/clients/import", UriKind.Relative), content);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(await new CatalogRepository(_factory).FindClientAsync("13900000001"), Is.Null);
    }

    [Test]
    public async Task AFileOverOneHundredThousandRowsIs413AndOneAtTheLimitIsImported()
    {
        using var api = ApiClient();

        using var over = await api.PostAsync(new Uri("/api/admin/clients/import", UriKind.Relative), Csv(Rows(ClientCsvUpload.MaxRows + 1)));
        using var atLimit = await api.PostAsync(new Uri("/api/admin/clients/import", UriKind.Relative), Csv(Rows(ClientCsvUpload.MaxRows)));

        Assert.That(over.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(atLimit.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var json = JsonDocument.Parse(await atLimit.Content.ReadAsStringAsync());
        Assert.That(json.RootElement.GetProperty("imported").GetInt32(), Is.EqualTo(ClientCsvUpload.MaxRows));
    }

    private static string Rows(int count)
    {
        var csv = new StringBuilder(Header).Append('\n');
        for (var i = 0; i < count; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{13900000000L + i},C,****,Gold,,zh,b\n");
        }

        return csv.ToString();
    }

    private async Task<IReadOnlyList<DispositionCode>> CodesAsync() => await new DispositionCodeRepository(_factory).ListAsync(activeOnly: false);

    private HttpClient ApiClient()
    {
        var client = _app.GetTestClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", Key);
        return client;
    }

    private HttpClient NewBrowser() =>
        new(new CookieJar(_app.GetTestServer().CreateHandler())) { BaseAddress = new Uri("http://localhost") };

    private async Task<HttpClient> SignedInAsync(string login, string password)
    {
        var browser = NewBrowser();
        using var signIn = await DeskForm.SignInAsync(browser, login, password);
        Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), $"sign-in of {login}");
        return browser;
    }

    private static async Task<string> TokenAsync(HttpClient browser)
    {
        using var json = await GetJsonAsync(browser, "/desk/antiforgery");
        return json.RootElement.GetProperty("token").GetString()!;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, HttpContent? content, string token)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        request.Headers.Add("X-CSRF-TOKEN", token);
        return await client.SendAsync(request);
    }

    private static async Task<JsonDocument> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static async Task<string?> FieldOfAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.TryGetProperty("field", out var field) ? field.GetString() : null;
    }

    private static JsonContent Json(object value) => JsonContent.Create(value);

    private static StringContent Csv(string text) => new(text, new UTF8Encoding(false), "text/csv");

    /// <summary>A body sent without Content-Length (chunked), so the server must count what it reads.</summary>
    private sealed class UnsizedContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    private sealed class AgentStates : IAgentStates
    {
        private readonly ConcurrentDictionary<string, string> _states = new();

        public void Set(string id, string state) => _states[id] = state;

        public IReadOnlyList<AgentSnapshot> List() =>
            [.. _states.Select(s => new AgentSnapshot(s.Key, s.Value, false, DateTimeOffset.UnixEpoch, null, null))];

        public AgentStateChange Request(string id, string state, string? reason) => new(null, AgentStateChangeError.UnknownAgent, null);

        public void HoldEmailTasks(IReadOnlyDictionary<string, string> acceptedByAgent)
        {
        }
    }

    private sealed class CatalogChanges : IAgentCatalogChanges
    {
        public ConcurrentQueue<(string, string, string)> Saved { get; } = new();

        public ConcurrentQueue<string> Removed { get; } = new();

        public void AgentSaved(string extension, IReadOnlyList<string> skills, string kind) => Saved.Enqueue((extension, string.Join(',', skills), kind));

        public void AgentRemoved(string extension) => Removed.Enqueue(extension);
    }

}
