using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>
/// The trunks themselves, with real sipp as the carriers: SIP over TLS to a carrier (Debian's sipp has no
/// TLS, so socat terminates it in front of a sipp on TCP) whose certificate is checked, a trunk that is
/// down failing the call over to the next one, a callback kept for a retry when every trunk is down, and
/// the platform's registration to a carrier that challenges it and grants a short lifetime.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public sealed class TrunkFailoverTests
{
    private string _folder = "";

    [SetUp]
    public void MakeFolder() => _folder = Directory.CreateTempSubdirectory("trunk-tls-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task ACarrierWhoseCertificateIsNotTrustedGetsNoCallAndTheCallbackGoesOverTlsToTheTrustedOne()
    {
        var (carrierPem, carrierCa) = Certificate("carrier");
        var (roguePem, _) = Certificate("rogue");
        int rogueTls = FreePorts.UdpAndTcp(), rogueSip = FreePorts.UdpAndTcp(), carrierTls = FreePorts.UdpAndTcp(), carrierSip = FreePorts.UdpAndTcp();
        using var rogueTunnel = Tunnel(rogueTls, roguePem, rogueSip);
        using var carrierTunnel = Tunnel(carrierTls, carrierPem, carrierSip);
        await using var platform = await PlatformProcess.StartAsync([
            "--Agents:WrapUpSeconds=1", "--Logging:LogLevel:Default=Information",
            .. Trunk(0, "rogue", rogueTls, "tls", $"--Trunks:0:TlsCaFile={carrierCa}"),
            .. Trunk(1, "carrier", carrierTls, "tls", $"--Trunks:1:TlsCaFile={carrierCa}")]);
        var client = "13900000021";
        await using var rogue = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-t", "t1", "-sf", AgentPhone.Template("carrier-answer.xml", new() { ["{NUMBER}"] = client, ["{CALLER_ID}"] = "95500", ["{TALK_MS}"] = "1000" }),
            "-m", "1", "-timeout", "60s"], rogueSip);
        await using var carrier = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-t", "t1", "-sf", AgentPhone.Template("carrier-answer.xml", new() { ["{NUMBER}"] = client, ["{CALLER_ID}"] = "95500", ["{TALK_MS}"] = "2000" }),
            "-m", "1", "-timeout", "60s", "-timeout_error"], carrierSip);
        await using var agent = await AgentPhone.StartAsync(platform, "1001", expectPai: client);

        var id = await BookAsync(platform, client);
        var carrierResult = await carrier.WaitAsync(TimeSpan.FromSeconds(60));
        var done = await WaitCallbackAsync(platform, id, c => c.GetProperty("status").GetString() is "completed" or "failed");
        rogue.Quit();
        var rogueResult = await rogue.WaitAsync(TimeSpan.FromSeconds(10));
        var (_, trunks) = await platform.GetApiAsync("api/trunks");

        Assert.Multiple(() =>
        {
            Assert.That(carrierResult.SuccessfulCalls, Is.EqualTo(1), "the trusted carrier got the INVITE over TLS, answered, hung up\n" + carrierResult.Output + platform.Output);
            Assert.That(rogueResult.SuccessfulCalls + rogueResult.FailedCalls, Is.Zero, "nothing reached the carrier whose certificate is not trusted\n" + rogueResult.Output);
            Assert.That(done.GetProperty("status").GetString(), Is.EqualTo("completed"), done.ToString());
            Assert.That(done.GetProperty("outcome").GetString(), Is.EqualTo("reached"));
            Assert.That(trunks[0].GetProperty("transport").GetString(), Is.EqualTo("tls"));
            Assert.That(trunks[0].GetProperty("lastFailure").GetString(), Does.Contain("not signed by the trusted CA file"), trunks.ToString());
            Assert.That(trunks[1].GetProperty("lastFailure").ValueKind, Is.EqualTo(JsonValueKind.Null), trunks.ToString());
            Assert.That(platform.Output, Does.Contain("refused: its certificate"), "the log says why the first trunk was passed over");
        });
    }

    [Test]
    public async Task ASilentTrunkAndOneAnswering503FailTheCallOverToTheNextAndWithEveryTrunkDownTheCallbackWaitsForARetry()
    {
        // Nothing listens on the first trunk's UDP port: it never answers, not even 100 Trying.
        int silentPort = FreePorts.UdpAndTcp(), downPort = FreePorts.UdpAndTcp(), upPort = FreePorts.UdpAndTcp();
        await using var platform = await PlatformProcess.StartAsync([
            "--Agents:WrapUpSeconds=1", "--Callbacks:RetrySeconds=600", "--Callbacks:MaxAttempts=1", "--Callbacks:RingSeconds=5",
            .. Trunk(0, "silent", silentPort, "udp"),
            .. Trunk(1, "down", downPort, "udp"),
            .. Trunk(2, "up", upPort, "tcp")]);
        await using var down = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("carrier-unavailable.xml", []), "-m", "2", "-timeout", "90s", "-timeout_error"], downPort);
        await using var up = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-t", "t1", "-sf", AgentPhone.Template("carrier-answer.xml", new() { ["{NUMBER}"] = "13900000022", ["{CALLER_ID}"] = "95500", ["{TALK_MS}"] = "1500" }),
            "-m", "1", "-timeout", "60s", "-timeout_error"], upPort);
        await using var agent = await AgentPhone.StartAsync(platform, "1002", calls: 2);

        // The first trunk says nothing for the ring time, the second answers 503: the third takes the call.
        var first = await BookAsync(platform, "13900000022");
        var upResult = await up.WaitAsync(TimeSpan.FromSeconds(60));
        var reached = await WaitCallbackAsync(platform, first, c => c.GetProperty("status").GetString() is "completed" or "failed");

        // The third trunk's sipp is gone (its TCP port closed), the others as before: every trunk is down.
        var second = await BookAsync(platform, "13900000023");
        var pending = await WaitCallbackAsync(platform, second, c => c.GetProperty("outcome").ValueKind == JsonValueKind.String);
        var downResult = await down.WaitAsync(TimeSpan.FromSeconds(30));
        var (_, trunks) = await platform.GetApiAsync("api/trunks");

        Assert.Multiple(() =>
        {
            Assert.That(upResult.SuccessfulCalls, Is.EqualTo(1), "the third trunk got the call\n" + upResult.Output + platform.Output);
            Assert.That(downResult.SuccessfulCalls, Is.EqualTo(2), "the second trunk was tried both times\n" + downResult.Output);
            Assert.That(reached.GetProperty("status").GetString(), Is.EqualTo("completed"), reached.ToString());
            Assert.That(reached.GetProperty("outcome").GetString(), Is.EqualTo("reached"));
            Assert.That(pending.GetProperty("outcome").GetString(), Is.EqualTo("trunk-down"), pending + platform.Output);
            Assert.That(pending.GetProperty("status").GetString(), Is.EqualTo("queued"), "kept for a retry, though Callbacks:MaxAttempts=1");
            Assert.That(pending.GetProperty("attempts").GetInt32(), Is.Zero, "the trunks' failure is not counted against the client");
            Assert.That(pending.GetProperty("nextAttemptAt").GetDateTimeOffset(), Is.GreaterThan(DateTimeOffset.UtcNow.AddSeconds(500)), pending.ToString());
            Assert.That(trunks[0].GetProperty("lastFailure").GetString(), Does.Contain("no response"), trunks.ToString());
            Assert.That(trunks[1].GetProperty("lastFailure").GetString(), Does.Contain("503 Service Unavailable"), trunks.ToString());
            Assert.That(trunks[2].GetProperty("lastFailure").GetString(), Does.Contain("cannot be reached"), trunks.ToString());
        });
    }

    [Test]
    public async Task ThePlatformRegistersToATrunkAnsweringItsChallengeRefreshesBeforeExpiryAndShowsAFailedRegistrationsReason()
    {
        int registrarPort = FreePorts.UdpAndTcp(), refusingPort = FreePorts.UdpAndTcp();
        const string password = "reg-secret-9";
        await using var registrar = Sipp.Start("127.0.0.1:9", [
            "-sf", AgentPhone.Template("registrar-challenge.xml", new() { ["{USERNAME}"] = "cc-trunk", ["{PASSWORD}"] = password, ["{FIRST_EXPIRES}"] = "4" }),
            "-m", "1", "-timeout", "60s", "-timeout_error"], registrarPort);
        await using var refusing = Sipp.Start("127.0.0.1:9", [
            "-sf", AgentPhone.Template("registrar-refuse.xml", []), "-m", "1", "-timeout", "60s", "-timeout_error"], refusingPort);
        await Task.Delay(500);
        await using var platform = await PlatformProcess.StartAsync([
            "--Logging:LogLevel:Default=Debug",
            .. Trunk(0, "registrar", registrarPort, "udp", "--Trunks:0:Register=true", "--Trunks:0:Username=cc-trunk", $"--Trunks:0:Password={password}"),
            .. Trunk(1, "refusing", refusingPort, "udp", "--Trunks:1:Register=true", "--Trunks:1:Username=cc-trunk", "--Trunks:1:Password=wrong-pass-4")]);

        // Granted for 4 s, so the refresh comes within about 2 s: the registrar's scenario ends with it.
        var registered = await registrar.WaitAsync(TimeSpan.FromSeconds(30));
        var refused = await refusing.WaitAsync(TimeSpan.FromSeconds(30));
        JsonElement trunks = default;
        for (var i = 0; i < 50; i++)
        {
            (_, trunks) = await platform.GetApiAsync("api/trunks");
            if (trunks[0].GetProperty("registeredUntil").ValueKind == JsonValueKind.String
                && trunks[0].GetProperty("registeredUntil").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddSeconds(3000)
                && trunks[1].GetProperty("registration").GetString() == "failed")
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Multiple(() =>
        {
            Assert.That(registered.SuccessfulCalls, Is.EqualTo(1), "challenged, verified, granted, refreshed, verified again\n" + registered.Output + platform.Output);
            Assert.That(refused.SuccessfulCalls, Is.EqualTo(1), refused.Output);
            Assert.That(trunks[0].GetProperty("registration").GetString(), Is.EqualTo("registered"), trunks.ToString());
            Assert.That(trunks[0].GetProperty("registeredUntil").GetDateTimeOffset(), Is.GreaterThan(DateTimeOffset.UtcNow.AddSeconds(3000)), "the refresh's 3600 s");
            Assert.That(trunks[1].GetProperty("registration").GetString(), Is.EqualTo("failed"));
            Assert.That(trunks[1].GetProperty("registrationReason").GetString(), Does.Contain("refused the credentials"));
            Assert.That(platform.Output + trunks, Does.Not.Contain(password).And.Not.Contain("wrong-pass-4"), "a password is never logged nor shown");
        });
    }

    private static string[] Trunk(int index, string name, int port, string transport, params string[] more)
    {
        var key = "--Trunks:" + index.ToString(CultureInfo.InvariantCulture);
        return [$"{key}:Name={name}", $"{key}:Address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", $"{key}:Transport={transport}", $"{key}:CallerId=95500", .. more];
    }

    private static async Task<string> BookAsync(PlatformProcess platform, string number)
    {
        var created = await platform.PostApiAsync("api/callbacks", $"{{\"number\": \"{number}\", \"queue\": \"general\"}}");
        Assert.That(created.Status, Is.EqualTo(HttpStatusCode.Created), created.Body + platform.Output);
        return JsonDocument.Parse(created.Body).RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> WaitCallbackAsync(PlatformProcess platform, string id, Func<JsonElement, bool> done)
    {
        JsonElement callback = default;
        for (var i = 0; i < 400; i++)
        {
            (_, callback) = await platform.GetApiAsync("api/callbacks/" + id);
            if (done(callback))
            {
                return callback;
            }

            await Task.Delay(100);
        }

        throw new AssertionException($"callback {id} never got there: {callback}\n{platform.Output}");
    }

    /// <summary>A self-signed certificate for 127.0.0.1 (CN <paramref name="name"/>): its PEM with the key for socat, and the certificate alone as a CA file.</summary>
    private (string WithKey, string Certificate) Certificate(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        var withKey = Path.Combine(_folder, name + "-key.pem");
        var pem = Path.Combine(_folder, name + ".pem");
        File.WriteAllText(withKey, certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem() + "\n");
        File.WriteAllText(pem, certificate.ExportCertificatePem() + "\n");
        return (withKey, pem);
    }

    /// <summary>socat as the carrier's TLS side: TLS on <paramref name="tlsPort"/> with <paramref name="pem"/>, carried to sipp's TCP port.</summary>
    private static Tls Tunnel(int tlsPort, string pem, int sippPort)
    {
        var socat = new[] { "/usr/bin/socat", "/usr/local/bin/socat" }.FirstOrDefault(File.Exists);
        if (socat is null)
        {
            Assert.Fail("socat is not installed: scripts/test.sh installs the Debian package socat.");
        }

        var info = new System.Diagnostics.ProcessStartInfo(socat!) { UseShellExecute = false, RedirectStandardError = true };
        info.ArgumentList.Add($"OPENSSL-LISTEN:{tlsPort.ToString(CultureInfo.InvariantCulture)},bind=127.0.0.1,reuseaddr,fork,cert={pem},verify=0");
        info.ArgumentList.Add($"TCP:127.0.0.1:{sippPort.ToString(CultureInfo.InvariantCulture)}");
        var process = System.Diagnostics.Process.Start(info)!;
        Thread.Sleep(300); // listening
        return new Tls(process);
    }

    /// <summary>The socat process, killed with the test.</summary>
    private sealed class Tls(System.Diagnostics.Process process) : IDisposable
    {
        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            process.Dispose();
        }
    }
}
