using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>HTTPS from configuration alone (ASP.NET Core's Urls and Kestrel certificate keys): the desk's cookies are then Secure and HSTS is sent.</summary>
[NonParallelizable]
public sealed partial class DeskHttpsTests
{
    private const string Password = "test-pfx-pass";

    [Test]
    public async Task WithAnHttpsUrlAndACertificateTheDeskCookieIsSecureAndHstsIsSent()
    {
        var port = FreePorts.UdpAndTcp();
        await using var platform = PlatformProcess.Start(
            work => WriteCertificate(Path.Combine(work, "desk.pfx")),
            $"--Urls=https://127.0.0.1:{port}",
            "--Kestrel:Certificates:Default:Path=desk.pfx",
            $"--Kestrel:Certificates:Default:Password={Password}");
        using var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            CookieContainer = new CookieContainer(),
            ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
        };
        using var browser = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
        await WaitHealthyAsync(platform, browser);

        using var page = await browser.GetAsync(new Uri("desk/signin", UriKind.Relative));
        var token = TokenPattern().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;
        using var signIn = await browser.PostAsync(new Uri("desk/signin", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["login"] = "1001",
            ["password"] = "demo-1001",
        }));
        using var me = await browser.GetAsync(new Uri("desk/me", UriKind.Relative));

        Assert.That(page.Headers.GetValues("Strict-Transport-Security").Single(), Is.EqualTo("max-age=31536000"));
        Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), platform.Output);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".CallCenter.Desk=", StringComparison.Ordinal));
        Assert.That(cookie, Does.Contain("secure").IgnoreCase);
        Assert.That(me.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private static async Task WaitHealthyAsync(PlatformProcess platform, HttpClient client)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            Assert.That(platform.HasExited, Is.False, platform.Output);
            try
            {
                using var response = await client.GetAsync(new Uri("health", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or a slow start.
            }

            await Task.Delay(200);
        }

        Assert.Fail("The platform was not healthy over HTTPS within 60 s:\n" + platform.Output);
    }

    private static void WriteCertificate(string path)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, Password));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
