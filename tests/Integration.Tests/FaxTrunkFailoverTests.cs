using System.Globalization;
using System.Net;
using System.Text.Json;
using CallCenter.FaxSms.Fax;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>
/// A fax to a telephone number goes through the trunks as a voice call does (issue 16): the first trunk
/// cannot be reached (nothing listens on its TCP port), the second says nothing at all (UDP, not even 100
/// Trying, for its <c>FailoverAfterSeconds</c>), the third is a sipp carrier that answers 503; the fourth, a
/// carrier of the test's own that challenges and passes the call on (<see cref="ChallengingTrunk"/>) to the
/// platform's own fax number, takes it. The fax arrives as T.30 with both pages, within one attempt, and each
/// trunk that was down shows why in <c>GET /api/trunks</c>.
/// </summary>
[NonParallelizable]
public sealed class FaxTrunkFailoverTests
{
    private const string FaxNumber = "02155580000";
    private const string TrunkUser = "hotline-fax";
    private const string TrunkPassword = "trunk-secret-4712";

    [Test]
    public async Task AFaxWhoseFirstTrunksAreDownGoesThroughTheNextInTheSameAttempt()
    {
        var dir = Directory.CreateTempSubdirectory("fax-failover-it-").FullName;
        int unreachablePort = FreePorts.UdpAndTcp(), silentPort = FreePorts.UdpAndTcp(), downPort = FreePorts.UdpAndTcp();
        using var carrier = new ChallengingTrunk(TrunkUser, TrunkPassword);
        await using var platform = await PlatformProcess.StartAsync([
            $"--Fax:Number={FaxNumber}",
            .. Trunk(0, "unreachable", unreachablePort, "tcp"),
            .. Trunk(1, "silent", silentPort, "udp", "--Trunks:1:FailoverAfterSeconds=3"),
            .. Trunk(2, "down", downPort, "udp"),
            .. Trunk(3, "carrier", carrier.Port, "udp", $"--Trunks:3:Username={TrunkUser}", $"--Trunks:3:Password={TrunkPassword}")]);
        carrier.Forward = platform.SipEndPoint;
        await using var down = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("carrier-unavailable.xml", []), "-m", "1", "-timeout", "90s", "-timeout_error"], downPort);
        try
        {
            var pdf = FaxTests.TwoPagePdf(dir);
            var id = await PostFaxAsync(platform, "+86 21 5558 0000", pdf);
            var sent = await WaitAsync(platform, $"api/faxes/{id}", f => f.GetProperty("status").GetString() is not (FaxStatus.Queued or FaxStatus.Sending), TimeSpan.FromSeconds(150));
            var received = await WaitAsync(platform, "api/faxes?direction=inbound", f => f.EnumerateArray().Any(r => r.GetProperty("status").GetString() != FaxStatus.Receiving), TimeSpan.FromSeconds(20));
            var downResult = await down.WaitAsync(TimeSpan.FromSeconds(30));
            var (_, trunks) = await platform.GetApiAsync("api/trunks");
            var inbound = received.EnumerateArray().Single();

            Assert.Multiple(() =>
            {
                Assert.That(sent.GetProperty("status").GetString(), Is.EqualTo(FaxStatus.Sent), sent + "\n" + platform.Output);
                Assert.That(sent.GetProperty("pages").GetInt32(), Is.EqualTo(2));
                Assert.That(sent.GetProperty("attempts").GetInt32(), Is.EqualTo(1), "the trunks that were down cost no attempt");
                Assert.That(downResult.SuccessfulCalls, Is.EqualTo(1), "the 503 carrier got the INVITE once\n" + downResult.Output);
                Assert.That(carrier.Authenticated, Is.EqualTo(1), "the fourth trunk got the call, its challenge answered");
                Assert.That(trunks[0].GetProperty("lastFailure").GetString(), Does.Contain("cannot be reached"), trunks.ToString());
                Assert.That(trunks[1].GetProperty("lastFailure").GetString(), Does.Contain("no response"), trunks.ToString());
                Assert.That(trunks[2].GetProperty("lastFailure").GetString(), Does.Contain("503 Service Unavailable"), trunks.ToString());
                Assert.That(trunks[3].GetProperty("lastFailure").ValueKind, Is.EqualTo(JsonValueKind.Null), trunks.ToString());
                Assert.That(platform.Output, Does.Contain("the next trunk: carrier"), "the log says why each trunk was passed over");

                // It arrived: the platform's fax number, from the fourth trunk's calling number, both pages.
                Assert.That(inbound.GetProperty("status").GetString(), Is.EqualTo(FaxStatus.Received), inbound.ToString());
                Assert.That(inbound.GetProperty("from").GetString(), Is.EqualTo("95500"));
                Assert.That(inbound.GetProperty("pages").GetInt32(), Is.EqualTo(2));
            });
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public async Task AFaxWithEveryTrunkDownNamesEachTrunksFailureAndIsTriedAgainLater()
    {
        var dir = Directory.CreateTempSubdirectory("fax-failover-it-").FullName;
        int silentPort = FreePorts.UdpAndTcp(), downPort = FreePorts.UdpAndTcp();
        await using var platform = await PlatformProcess.StartAsync([
            $"--Fax:Number={FaxNumber}", "--Fax:RetrySeconds=600", "--Fax:MaxAttempts=2",
            .. Trunk(0, "silent", silentPort, "udp", "--Trunks:0:FailoverAfterSeconds=2"),
            .. Trunk(1, "down", downPort, "udp")]);
        await using var down = Sipp.Start($"127.0.0.1:{platform.SipPort}", [
            "-sf", AgentPhone.Template("carrier-unavailable.xml", []), "-m", "1", "-timeout", "90s", "-timeout_error"], downPort);
        try
        {
            var id = await PostFaxAsync(platform, "+86 21 5558 0000", FaxTests.TwoPagePdf(dir));
            var fax = await WaitAsync(platform, $"api/faxes/{id}", f => f.GetProperty("attempts").GetInt32() == 1 && f.GetProperty("status").GetString() != FaxStatus.Sending, TimeSpan.FromSeconds(60));
            var downResult = await down.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Multiple(() =>
            {
                Assert.That(fax.GetProperty("status").GetString(), Is.EqualTo(FaxStatus.Queued), fax + "\n" + platform.Output);
                Assert.That(fax.GetProperty("result").GetString(), Does.Contain("every trunk is down").And.Contain("trunk silent: no response").And.Contain("trunk down: 503"), fax.ToString());
                Assert.That(fax.GetProperty("pages").GetInt32(), Is.Zero);
                Assert.That(downResult.SuccessfulCalls, Is.EqualTo(1), downResult.Output);
            });
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string[] Trunk(int index, string name, int port, string transport, params string[] more)
    {
        var key = "--Trunks:" + index.ToString(CultureInfo.InvariantCulture);
        return [$"{key}:Name={name}", $"{key}:Address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", $"{key}:Transport={transport}", $"{key}:CallerId=95500", .. more];
    }

    private static async Task<string> PostFaxAsync(PlatformProcess platform, string to, string pdf)
    {
        using var http = new HttpClient { BaseAddress = platform.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", "demo-api-key");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(to), "to" },
            { new ByteArrayContent(File.ReadAllBytes(pdf)), "document", "statement.pdf" },
        };
        using var response = await http.PostAsync("api/faxes", form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> WaitAsync(PlatformProcess platform, string path, Func<JsonElement, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            var (status, body) = await platform.GetApiAsync(path);
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            last = body;
            if (done(body))
            {
                return body;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"{path}: {last}\n{platform.Output}");
        return last;
    }
}
