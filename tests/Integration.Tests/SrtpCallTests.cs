using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using CallCenter.Telephony.Media.Audio;

namespace CallCenter.Integration.Tests;

/// <summary>
/// SDES-SRTP on SIP over TLS with Debian's baresip, which speaks both (its srtp module is libsrtp):
/// a caller who insists on SRTP walks the menu by keys the platform can only read by decrypting
/// them and hears prompts it can only hear by decrypting ours; an agent's phone on TLS is offered
/// SRTP and a plain caller is bridged to it and recorded; keys over plain UDP are refused.
/// (Debian's sipp is built without OpenSSL, "To use a TLS transport you must compile SIPp with
/// OpenSSL", so sipp plays the plain callers here and baresip the secure ends.)
/// </summary>
[NonParallelizable]
public sealed class SrtpCallTests
{
    private string _folder = "";
    private string _certificate = "";
    private string _tone = "";
    private string _authority = "";

    [OneTimeSetUp]
    public void MakeCertificateAndTone()
    {
        _folder = Directory.CreateTempSubdirectory("callcenter-srtp-").FullName;
        (_certificate, _authority) = TestCertificate.Create(_folder);

        // baresip's microphone: 30 s of a 440 Hz tone, 8 kHz 16-bit mono.
        _tone = Path.Combine(_folder, "tone.wav");
        TestAudio.WriteTone(_tone, seconds: 30);
    }

    [OneTimeTearDown]
    public void Delete() => Directory.Delete(_folder, recursive: true);

    private async Task<(PlatformProcess Platform, int TlsPort)> StartPlatformAsync(params string[] more)
    {
        var tlsPort = CallCenter.TestSupport.FreePorts.UdpAndTcp();
        var platform = await PlatformProcess.StartAsync([
            $"--Sip:TlsPort={tlsPort}", $"--Sip:Tls:CertificatePath={_certificate}", "--Sip:Tls:CertificatePassword=secret", .. more]);
        return (platform, tlsPort);
    }

    [Test]
    public async Task ACallerInsistingOnSrtpOverTlsWalksTheMenuAndHearsThePromptsEncrypted()
    {
        var (platform, tlsPort) = await StartPlatformAsync();
        await using var _ = platform;
        await using var phone = Baresip.Start(platform, new BaresipSetup("13900000077", "unused")
        {
            Transport = "tls",
            Port = tlsPort,
            MediaEncryption = "srtp-mand",
            Register = false,
            AudioSource = _tone,
            RecordAudio = true,
        });

        await Task.Delay(1500);
        await phone.SendAsync($"/dial sip:95500@127.0.0.1:{tlsPort};transport=tls");
        Assert.That(await phone.WaitForOutputAsync("Call established", TimeSpan.FromSeconds(15)), Is.True, phone.Output + platform.Output);

        // Key 1 (中文) once the language prompt plays: an RFC 4733 event inside SRTP.
        await Task.Delay(3000);
        await phone.SendAsync("1");
        await Task.Delay(4000);
        await phone.SendAsync("/hangup");
        Assert.That(await phone.WaitForOutputAsync("terminated", TimeSpan.FromSeconds(10)), Is.True, phone.Output);

        var record = await platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13900000077", TimeSpan.FromSeconds(15))
            ?? throw new AssertionException("no record\n" + platform.Output);
        var (_, health) = await platform.GetApiAsync("health");
        var heard = phone.ReceivedAudio();

        Assert.That(phone.Output, Does.Contain("SRTP is Enabled (cryptosuite=AES_CM_128_HMAC_SHA1_80)"));
        Assert.That(health.GetProperty("rtp").GetProperty("secureSessions").GetInt64(), Is.EqualTo(1));
        Assert.That(record.GetProperty("ivrPath").EnumerateArray().Select(p => p.GetString()), Does.Contain("95500.zh"), "the key was read from inside SRTP\n" + record);

        // libsrtp drops what does not authenticate: the prompts reach baresip only if our SRTP is right.
        Assert.That(heard.Length, Is.GreaterThan(8000 * 3), "at least 3 s of the platform's audio decrypted");
        Assert.That(TestAudio.Rms(heard), Is.GreaterThan(300), "the prompts, not silence");
    }

    [Test]
    public async Task AnAgentPhoneOnTlsIsOfferedSrtpAndAPlainCallerIsBridgedToItAndRecorded()
    {
        var (platform, tlsPort) = await StartPlatformAsync("--Agents:WrapUpSeconds=1");
        await using var _ = platform;
        await using var agent = Baresip.Start(platform, new BaresipSetup("1001", "demo-1001")
        {
            Transport = "tls",
            Port = tlsPort,
            MediaEncryption = "srtp-mand",
            AnswerAutomatically = true,
            AudioSource = _tone,
            RecordAudio = true,
        });
        Assert.That(await agent.WaitForOutputAsync("registered successfully", TimeSpan.FromSeconds(15)), Is.True, agent.Output + platform.Output);
        var available = await platform.PostApiAsync("api/agents/1001/state", "{\"state\": \"available\"}");
        Assert.That(available.Status, Is.EqualTo(HttpStatusCode.OK), available.Body);

        // A Diamond client on plain UDP (sipp sends its A-law capture), bridged on the VIP line for about 5 s.
        await using var caller = AgentPhone.StartCaller(platform, "13800000001", holdMilliseconds: 14_000, timeout: "60s");
        var callerResult = await caller.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.That(await agent.WaitForOutputAsync("terminated", TimeSpan.FromSeconds(10)), Is.True, agent.Output);
        var record = await platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13800000001", TimeSpan.FromSeconds(15))
            ?? throw new AssertionException("no record\n" + platform.Output);
        var (_, health) = await platform.GetApiAsync("health");

        Assert.That(callerResult.SuccessfulCalls, Is.EqualTo(1), callerResult.Output);
        Assert.That(agent.Output, Does.Contain("SRTP is Enabled (cryptosuite=AES_CM_128_HMAC_SHA1_80)"), agent.Output);
        Assert.That(record.GetProperty("agent").GetString(), Is.EqualTo("1001"), record.ToString());
        Assert.That(health.GetProperty("rtp").GetProperty("secureSessions").GetInt64(), Is.EqualTo(1), "the agent's leg, and not the caller's");

        // The caller's audio crossed the relay into SRTP (baresip decrypted it) ...
        var heard = agent.ReceivedAudio();
        Assert.That(heard.Length, Is.GreaterThan(8000 * 2));
        Assert.That(TestAudio.Rms(heard), Is.GreaterThan(200), "the caller's voice, decrypted by the agent's phone");

        // ... and the phone's tone came out of SRTP into the recording's agent channel, in the clear.
        var wav = WavFile.Read(record.GetProperty("recording").GetString()!);
        var (left, right) = TestAudio.ChannelEnergy(wav.Data);
        Assert.That(left, Is.GreaterThan(200), "the caller's channel");
        Assert.That(right, Is.GreaterThan(1000), "the agent's channel: baresip's 440 Hz tone, decrypted by the platform");
    }

    [Test]
    public async Task SippThroughATlsTunnelOffersSrtpAndGetsTheSavpAnswerWithTheKeyOfThePlatform()
    {
        var (platform, tlsPort) = await StartPlatformAsync();
        await using var _ = platform;

        // Debian's sipp has no TLS: socat carries its TCP into TLS, trusting only the test's certificate.
        var tunnelPort = CallCenter.TestSupport.FreePorts.UdpAndTcp();
        using var tunnel = StartTunnel(tunnelPort, tlsPort);
        var result = await Sipp.RunAsync(
            $"127.0.0.1:{tunnelPort}",
            TimeSpan.FromSeconds(40),
            "-t", "t1", "-sf", AgentPhone.Template("srtp-offer.xml", new() { ["{VIA}"] = "TLS" }), "-s", "95500", "-m", "1", "-timeout", "30s", "-timeout_error");
        var record = await platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13900000088", TimeSpan.FromSeconds(15));
        var (_, health) = await platform.GetApiAsync("health");

        Assert.That(result.SuccessfulCalls, Is.EqualTo(1), result.Output + platform.Output);
        Assert.That(record, Is.Not.Null, "answered (a 488 leaves no record)\n" + platform.Output);
        Assert.That(record!.Value.GetProperty("disposition").GetString(), Is.EqualTo("caller-hung-up"));
        Assert.That(health.GetProperty("rtp").GetProperty("secureSessions").GetInt64(), Is.EqualTo(1));
        Assert.That(health.GetProperty("sip").GetProperty("tlsHandshakeFailures").GetInt64(), Is.Zero);
    }

    [Test]
    public async Task KeysOfferedOverPlainUdpAreRefusedWith488AndNoCallStarts()
    {
        var (platform, _) = await StartPlatformAsync();
        await using var __ = platform;
        await using var phone = Baresip.Start(platform, new BaresipSetup("13900000078", "unused")
        {
            MediaEncryption = "srtp-mand",
            Register = false,
            AudioSource = _tone,
        });

        await Task.Delay(1500);
        await phone.SendAsync($"/dial sip:95500@127.0.0.1:{platform.SipPort}");
        var refused = await phone.WaitForOutputAsync("488", TimeSpan.FromSeconds(15));
        var (_, health) = await platform.GetApiAsync("health");
        var (_, calls) = await platform.GetApiAsync("api/calls?limit=10");

        Assert.That(refused, Is.True, phone.Output + platform.Output);
        Assert.That(health.GetProperty("rtp").GetProperty("secureSessions").GetInt64(), Is.Zero);
        Assert.That(health.GetProperty("media").GetProperty("rtpPortsInUse").GetInt32(), Is.Zero);
        Assert.That(calls.GetArrayLength(), Is.Zero, "a refused offer leaves no call");

        // The same offer from sipp over UDP: 488 with the Warning that says why (the scenario checks it).
        var sipp = await Sipp.RunAsync(
            $"127.0.0.1:{platform.SipPort}",
            TimeSpan.FromSeconds(30),
            "-sf", AgentPhone.Template("srtp-offer.xml", new() { ["{VIA}"] = "UDP" }), "-s", "95500", "-m", "1", "-timeout", "20s", "-timeout_error");
        (_, calls) = await platform.GetApiAsync("api/calls?limit=10");
        Assert.That(sipp.SuccessfulCalls, Is.EqualTo(1), sipp.Output);
        Assert.That(calls.GetArrayLength(), Is.Zero, "refused, not answered");
    }

    private Tunnel StartTunnel(int listenPort, int tlsPort)
    {
        var socat = new[] { "/usr/bin/socat", "/usr/local/bin/socat" }.FirstOrDefault(File.Exists);
        if (socat is null)
        {
            Assert.Fail("socat is not installed: scripts/test.sh installs the Debian package socat.");
        }

        var info = new System.Diagnostics.ProcessStartInfo(socat!) { UseShellExecute = false, RedirectStandardError = true };
        info.ArgumentList.Add($"TCP-LISTEN:{listenPort},bind=127.0.0.1,reuseaddr,fork");
        info.ArgumentList.Add($"OPENSSL:127.0.0.1:{tlsPort},cafile={_authority},commonname=callcenter.test,verify=1");
        var process = System.Diagnostics.Process.Start(info)!;
        Thread.Sleep(300); // listening
        return new Tunnel(process);
    }

    /// <summary>The socat process, killed with the test.</summary>
    private sealed class Tunnel(System.Diagnostics.Process process) : IDisposable
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
