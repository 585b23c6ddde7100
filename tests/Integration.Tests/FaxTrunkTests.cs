using System.Net;
using System.Text.Json;
using CallCenter.FaxSms.Fax;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>
/// A fax to a telephone number goes out through the SIP trunk with the outbound dial plan (issue 16):
/// the trunk is a carrier's SBC of the test's own (<see cref="ChallengingTrunk"/>) that challenges every
/// INVITE with a digest and passes an authenticated one on to the number's network, which here is the
/// platform itself, whose fax number is that telephone number. So the fax leaves as a trunk call,
/// answers the carrier's challenge, and arrives as a real T.30 fax whose pages are counted and compared.
/// </summary>
[NonParallelizable]
public sealed class FaxTrunkTests
{
    private const string FaxNumber = "02155580000";
    private const string TrunkUser = "hotline-fax";
    private const string TrunkPassword = "trunk-secret-4711";
    private PlatformProcess _platform = null!;
    private ChallengingTrunk _trunk = null!;
    private string _dir = "";

    [OneTimeSetUp]
    public async Task StartPlatform()
    {
        _trunk = new ChallengingTrunk(TrunkUser, TrunkPassword);
        _platform = await PlatformProcess.StartAsync(
            $"--Fax:Number={FaxNumber}",
            "--Trunks:0:Name=carrier",
            $"--Trunks:0:Address=127.0.0.1:{_trunk.Port}",
            $"--Trunks:0:Username={TrunkUser}",
            $"--Trunks:0:Password={TrunkPassword}",
            "--Trunks:0:CallerId=95500",
            "--Dialing:Barred=1259,0755");
        _trunk.Forward = _platform.SipEndPoint;
        _dir = Directory.CreateTempSubdirectory("fax-trunk-it-").FullName;
    }

    [OneTimeTearDown]
    public async Task StopPlatform()
    {
        await _platform.DisposeAsync();
        _trunk.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public async Task AFaxToATelephoneNumberGoesThroughTheTrunkAnsweringItsChallengeAndArrivesWithItsPages()
    {
        var pdf = FaxTests.TwoPagePdf(_dir);

        // The number as a person writes it, in international form: the dial plan makes it 021 5558 0000.
        var (status, body) = await PostFaxAsync("+86 21 5558 0000", pdf);

        Assert.That(status, Is.EqualTo(HttpStatusCode.Accepted), body);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
        var sent = await WaitAsync($"api/faxes/{id}", f => f.GetProperty("status").GetString() is not (FaxStatus.Queued or FaxStatus.Sending), TimeSpan.FromSeconds(120));
        var received = await WaitAsync("api/faxes?direction=inbound", f => f.EnumerateArray().Any(r => r.GetProperty("status").GetString() != FaxStatus.Receiving), TimeSpan.FromSeconds(20));
        var inbound = received.EnumerateArray().Single();
        var invites = _trunk.Seen.Where(m => m.StartsWith("INVITE ", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(sent.GetProperty("status").GetString(), Is.EqualTo(FaxStatus.Sent), sent + "\n" + _platform.Output);
            Assert.That(sent.GetProperty("pages").GetInt32(), Is.EqualTo(2));
            Assert.That(sent.GetProperty("attempts").GetInt32(), Is.EqualTo(1), "the challenge was answered within the attempt");

            // At the carrier: one INVITE challenged, the same call again with the right digest, for the number as dialled.
            Assert.That(_trunk.Challenged, Is.EqualTo(1));
            Assert.That(_trunk.Authenticated, Is.EqualTo(1));
            Assert.That(_trunk.Refused, Is.Zero);
            Assert.That(invites, Has.Count.EqualTo(2));
            Assert.That(invites, Has.All.StartWith($"INVITE sip:{FaxNumber}@127.0.0.1:{_trunk.Port} SIP/2.0"));
            Assert.That(invites, Has.All.Contain("P-Asserted-Identity: <sip:95500@"), "the trunk's calling number");
            Assert.That(_trunk.Seen, Has.None.Contain(TrunkPassword), "the password never crosses the wire");

            // Where it arrived: the platform's fax number, from the trunk's calling number, both pages.
            Assert.That(inbound.GetProperty("status").GetString(), Is.EqualTo(FaxStatus.Received), inbound.ToString());
            Assert.That(inbound.GetProperty("to").GetString(), Is.EqualTo(FaxNumber));
            Assert.That(inbound.GetProperty("from").GetString(), Is.EqualTo("95500"));
            Assert.That(inbound.GetProperty("pages").GetInt32(), Is.EqualTo(2));
        });

        // The pages that arrived are the document's, with ink on them, each in its place.
        var expected = FaxPageImage.ReadAll(FaxTests.RenderAsFax(pdf, _dir));
        var got = FaxPageImage.ReadAll(Path.Combine(_platform.WorkDirectory, "faxes", "inbound", inbound.GetProperty("id").GetString() + ".tif"));
        Assert.That(got, Has.Count.EqualTo(2));
        Assert.Multiple(() =>
        {
            Assert.That(expected.Select(p => p.Ink), Is.All.GreaterThan(1000));
            Assert.That(got.Select(p => p.Ink), Is.All.GreaterThan(expected.Min(p => p.Ink) / 4), "the received pages are not blank");
            Assert.That(FaxPageImage.Compare(expected[0], got[0]).Score, Is.GreaterThanOrEqualTo(FaxPageMatch.SameDocument));
            Assert.That(FaxPageImage.Compare(expected[1], got[1]).Score, Is.GreaterThanOrEqualTo(FaxPageMatch.SameDocument));
        });
    }

    [TestCase("110", "emergency numbers")]
    [TestCase("0755 2345 6789", "barred")]
    [TestCase("10086", "short codes")]
    [TestCase("12345", "special service")]
    [TestCase("+44 20 7946 0000", "international calls are not allowed")]
    [TestCase("021-555", "not a valid fixed-line number")]
    public async Task ANumberTheDialPlanRefusesIsRefusedWithItsReasonBeforeAnyInvite(string to, string reason)
    {
        var invitesBefore = _trunk.Seen.Count(m => m.StartsWith("INVITE ", StringComparison.Ordinal));

        var (status, body) = await PostFaxAsync(to, FaxTests.TwoPagePdf(_dir));

        // The refusal is kept as an audit trail: the 400 names its row, which says who it was to and why.
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
        var (found, refused) = await _platform.GetApiAsync($"api/faxes/{id}");
        var (_, outbound) = await _platform.GetApiAsync("api/faxes?direction=outbound");
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), body);
            Assert.That(body, Does.Contain(reason));
            Assert.That(found, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(refused.GetProperty("status").GetString(), Is.EqualTo(FaxStatus.Refused));
            Assert.That(refused.GetProperty("to").GetString(), Is.EqualTo(to));
            Assert.That(refused.GetProperty("result").GetString(), Does.Contain(reason));
            Assert.That(refused.GetProperty("attempts").GetInt32(), Is.Zero);
            Assert.That(refused.GetProperty("pdf").ValueKind, Is.EqualTo(JsonValueKind.Null), "the refused document is not kept");
            Assert.That(outbound.EnumerateArray().Where(f => f.GetProperty("to").GetString() == to).Select(f => f.GetProperty("status").GetString()), Is.All.EqualTo(FaxStatus.Refused), "nothing was queued");
            Assert.That(_trunk.Seen.Count(m => m.StartsWith("INVITE ", StringComparison.Ordinal)), Is.EqualTo(invitesBefore), "no INVITE left");
        });
    }

    private async Task<(HttpStatusCode Status, string Body)> PostFaxAsync(string to, string pdf)
    {
        using var http = new HttpClient { BaseAddress = _platform.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", "demo-api-key");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(to), "to" },
            { new ByteArrayContent(File.ReadAllBytes(pdf)), "document", "statement.pdf" },
        };
        using var response = await http.PostAsync("api/faxes", form);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> WaitAsync(string path, Func<JsonElement, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            var (status, body) = await _platform.GetApiAsync(path);
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            last = body;
            if (done(body))
            {
                return body;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"{path}: {last}\n{_platform.Output}\ntrunk saw:\n{string.Join("\n---\n", _trunk.Seen)}");
        return last;
    }
}
