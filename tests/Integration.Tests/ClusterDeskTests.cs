using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>
/// A desk across nodes (issue 19): with <c>Cluster:Enabled</c> the nodes keep the Data Protection key ring
/// in Redis (here a real redis-server that asks for a password), encrypted to <c>Cluster:KeyRingCertificate</c>,
/// and their desk sessions in one PostgreSQL database, so a desk signed in on node 1 is signed in on node 2 with
/// the same cookie, signing out on node 2 ends the session for a copy of the cookie on node 1 too, and the keys
/// stored in Redis hold no key in the clear.
/// </summary>
[NonParallelizable]
public sealed partial class ClusterDeskTests
{
    private static async Task<HttpStatusCode> MeAsync(PlatformProcess node, string cookie)
    {
        using var handler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = node.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("desk/me", UriKind.Relative));
        request.Headers.Add("Cookie", cookie);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>The Data Protection keys as stored in Redis (the XML of each).</summary>
    internal static Task<string> StoredKeysAsync(int port, string password) =>
        RedisCliAsync(port, password, "LRANGE", "callcenter:dataprotection-keys", "0", "-1");

    /// <summary>redis-cli's raw answer to <paramref name="command"/> (the password from its environment, not its command line).</summary>
    internal static async Task<string> RedisCliAsync(int port, string password, params string[] command)
    {
        var info = new System.Diagnostics.ProcessStartInfo(ClusterPeer.Require("redis-cli", "redis-tools"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["REDISCLI_AUTH"] = password;
        foreach (var argument in new[] { "-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--raw" }.Concat(command))
        {
            info.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException("redis-cli did not start");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }

    /// <summary>A self-signed certificate and its private key in one PEM file, as Cluster:KeyRingCertificate takes it.</summary>
    private static string KeyRingCertificate(string folder)
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=callcenter-keyring", key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var path = Path.Combine(folder, "keyring.pem");
        File.WriteAllText(path, certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem() + "\n");
        return path;
    }

    [Test]
    public async Task ADeskSignedInOnNode1IsSignedInOnNode2AndSigningOutThereEndsItOnNode1()
    {
        await using var database = await TestDatabase.CreateAsync("postgres");
        const string password = "redis-test-password-0123456789";
        await using var redis = await ClusterPeer.StartRedisAsync(password: password);
        var folder = Directory.CreateTempSubdirectory("callcenter-keyring-").FullName;
        var certificate = KeyRingCertificate(folder);
        string[] NodeArguments(string id) =>
        [
            "--Cluster:Enabled=true", $"--Cluster:NodeId={id}", $"--Cluster:Redis=127.0.0.1:{redis.Port},password={password}",
            "--Database:Provider=postgres", $"--Database:ConnectionString={database.Options.ConnectionString}",
            $"--Cluster:KeyRingCertificate={certificate}",
        ];

        // One after the other: the first migrates and seeds the shared database.
        await using var node1 = await PlatformProcess.StartAsync(NodeArguments("node-1"));
        await using var node2 = await PlatformProcess.StartAsync(NodeArguments("node-2"));

        // A browser behind a load balancer: one cookie jar, the requests land on either node.
        var cookies = new CookieContainer();
        using var handler1 = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        using var handler2 = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        using var toNode1 = new HttpClient(handler1) { BaseAddress = node1.BaseAddress };
        using var toNode2 = new HttpClient(handler2) { BaseAddress = node2.BaseAddress };
        var page = await toNode1.GetStringAsync(new Uri("desk/signin", UriKind.Relative));
        using var signIn = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = TokenPattern().Match(page).Groups[1].Value,
            ["login"] = "1001",
            ["password"] = "demo-1001",
        });
        using var signedIn = await toNode1.PostAsync(new Uri("desk/signin", UriKind.Relative), signIn);
        var copy = cookies.GetCookieHeader(node1.BaseAddress);

        using var meOnNode2 = await toNode2.GetAsync(new Uri("desk/me", UriKind.Relative));
        var me = meOnNode2.StatusCode == HttpStatusCode.OK ? JsonDocument.Parse(await meOnNode2.Content.ReadAsStringAsync()).RootElement.Clone() : default;

        // Sign out on node 2 with node 2's own form (its anti-forgery token is read with the shared keys too).
        var signedInPage = await toNode2.GetStringAsync(new Uri("desk/signin", UriKind.Relative));
        using var signOut = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = TokenPattern().Match(signedInPage).Groups[1].Value });
        using var signedOut = await toNode2.PostAsync(new Uri("desk/signout", UriKind.Relative), signOut);
        var copyOnNode1 = await MeAsync(node1, copy);
        var stored = await StoredKeysAsync(redis.Port, password);
        Directory.Delete(folder, recursive: true);
        var logs = $"\n--- node 1\n{node1.Output}\n--- node 2\n{node2.Output}";

        Assert.That(signedIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), logs);
        Assert.That(copy, Is.Not.Empty, "a session cookie was set");
        Assert.That(meOnNode2.StatusCode, Is.EqualTo(HttpStatusCode.OK), "node 2 reads node 1's cookie (one key ring in Redis) and finds its session (one database)" + logs);
        Assert.That(me.GetProperty("login").GetString(), Is.EqualTo("1001"));
        Assert.That(signedInPage, Does.Contain("<strong>1001</strong>"), "node 2's sign-in page knows who is signed in");
        Assert.That(signedOut.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "node 2 accepts its sign-out form" + logs);
        Assert.That(signedOut.Headers.Location?.OriginalString, Is.EqualTo("/desk/signin"));
        Assert.That(copyOnNode1, Is.Not.EqualTo(HttpStatusCode.OK), "signed out on node 2, a copy of the cookie is refused on node 1");
        Assert.That(stored, Does.Contain("<key id="), "the key ring is in Redis" + logs);
        Assert.That(stored, Does.Contain("EncryptedData").And.Not.Contain("<masterKey"), "each key's secret is encrypted to the certificate, never stored in the clear:\n" + stored);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
