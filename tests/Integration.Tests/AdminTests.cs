using System.Net;
using System.Text;
using System.Text.Json;

namespace CallCenter.Integration.Tests;

/// <summary>The admin API in the running platform: a new agent works without a restart, and a client file imports.</summary>
[NonParallelizable]
public sealed class AdminTests
{
    // sipp 3.6 answers only the first challenge and only MD5 (design.md section 4).
    private static readonly string[] _md5First = ["--Sip:DigestAlgorithms:0=MD5", "--Sip:DigestAlgorithms:1=SHA-256"];

    [Test]
    public async Task ANewAgentRegistersWithItsPasswordAndIsMadeAvailableWithoutARestart()
    {
        await using var platform = await PlatformProcess.StartAsync(_md5First);

        var (created, body) = await SendAsync(platform, HttpMethod.Put, "api/admin/agents/1005", "application/json",
            """{"name": "吴新 Wu Xin", "skills": ["zh", "en", "stocks"], "password": "new-secret-1005"}""");
        Assert.That(created, Is.EqualTo(HttpStatusCode.Created), body);
        var (_, agents) = await platform.GetApiAsync("api/agents");
        Assert.That(agents.EnumerateArray().Select(a => a.GetProperty("id").GetString()), Does.Contain("1005"), "the running roster has the new agent");

        var wrong = await RegisterAsync(platform, "register-refused.xml", "1005", "demo-1005");
        var registered = await RegisterAsync(platform, "register.xml", "1005", "new-secret-1005");
        var available = await platform.PostApiAsync("api/agents/1005/state", """{"state": "available"}""");

        Assert.That(wrong.SuccessfulCalls, Is.EqualTo(1), "another password gets 401\n" + wrong.Output);
        Assert.That(registered.SuccessfulCalls, Is.EqualTo(1), registered.Output + platform.Output);
        Assert.That(available.Status, Is.EqualTo(HttpStatusCode.OK), available.Body);
        Assert.That(platform.Output, Does.Not.Contain("new-secret-1005"));
    }

    [Test]
    public async Task AClientFileIsImportedAndItsBadRowReported()
    {
        await using var platform = await PlatformProcess.StartAsync();
        const string csv = "phone,name,account_masked,tier,manager_extension,language,branch\n"
            + "13900000001,Emily Chen,****0001,Gold,1004,en,上海浦东营业部\n"
            + "13900000002,Full number,6225123412340002,Gold,,zh,b\n";

        var (status, body) = await SendAsync(platform, HttpMethod.Post, "api/admin/clients/import", "text/csv", csv);

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body);
        using var report = JsonDocument.Parse(body);
        Assert.That(report.RootElement.GetProperty("imported").GetInt32(), Is.EqualTo(1));
        Assert.That(report.RootElement.GetProperty("rejected")[0].GetProperty("line").GetInt32(), Is.EqualTo(3));
        var (found, client) = await platform.GetApiAsync("api/clients/13900000001");
        Assert.That(found, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(client.GetProperty("accountManager").GetString(), Is.EqualTo("1004"));
        Assert.That(client.GetProperty("tier").GetString(), Is.EqualTo("Gold"));
    }

    [Test]
    public async Task TheDemoAdminSignsInAndChangesADispositionCodeWithTheAntiforgeryHeaderOnly()
    {
        await using var platform = await PlatformProcess.StartAsync();
        using var handler = new HttpClientHandler { CookieContainer = new System.Net.CookieContainer(), AllowAutoRedirect = false };
        using var browser = new HttpClient(handler) { BaseAddress = platform.BaseAddress };
        var page = await browser.GetStringAsync(new Uri("desk/signin", UriKind.Relative));
        var formToken = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        using var signIn = await browser.PostAsync(new Uri("desk/signin", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = formToken,
            ["login"] = "admin",
            ["password"] = "demo-admin",
        }));
        Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        using var token = JsonDocument.Parse(await browser.GetStringAsync(new Uri("desk/antiforgery", UriKind.Relative)));
        const string code = """{"labelZh": "开户咨询", "labelEn": "Account opening", "active": true, "sortOrder": 80}""";

        using var without = await browser.PutAsync(new Uri("api/admin/disposition-codes/account-opening", UriKind.Relative), new StringContent(code, Encoding.UTF8, "application/json"));
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri("api/admin/disposition-codes/account-opening", UriKind.Relative))
        {
            Content = new StringContent(code, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-CSRF-TOKEN", token.RootElement.GetProperty("token").GetString());
        using var with = await browser.SendAsync(request);

        Assert.That(without.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(with.StatusCode, Is.EqualTo(HttpStatusCode.OK), await with.Content.ReadAsStringAsync());
        var (_, codes) = await platform.GetApiAsync("api/admin/disposition-codes");
        Assert.That(codes.EnumerateArray().Select(c => c.GetProperty("code").GetString()), Does.Contain("account-opening"));
    }

    private static Task<Sipp.Result> RegisterAsync(PlatformProcess platform, string scenario, string extension, string password) =>
        Sipp.RunAsync(
            $"127.0.0.1:{platform.SipPort}",
            TimeSpan.FromSeconds(30),
            ["-sf", Path.Combine(AppContext.BaseDirectory, "Scenarios", scenario), "-s", extension, "-au", extension, "-ap", password, "-m", "1", "-timeout", "20s", "-timeout_error"]);

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(PlatformProcess platform, HttpMethod method, string path, string contentType, string content)
    {
        using var http = new HttpClient { BaseAddress = platform.BaseAddress };
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = new StringContent(content, Encoding.UTF8, contentType) };
        request.Headers.Add("X-Api-Key", "demo-api-key");
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
