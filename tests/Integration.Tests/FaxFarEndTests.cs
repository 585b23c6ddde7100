using System.Diagnostics;
using System.Net;
using System.Text.Json;
using CallCenter.FaxSms.Fax;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>
/// Faxes that go wrong on a real line (issue 16, bad input and item 6): the far end hangs up in the
/// middle of a page, either way, and a fax call answered by something that is not a fax machine.
/// The far ends are the tests' own: <see cref="FaxMachine"/> and <see cref="FaxPhone"/> (spandsp's
/// T.30 over SIP and RTP on loopback), sipp playing a recorded voice, and sipp refusing the call (486, 603). The platform retries after
/// <c>Fax:RetrySeconds</c> (5 s here) up to <c>Fax:MaxAttempts</c> (2 here).
/// </summary>
[NonParallelizable]
public sealed class FaxFarEndTests
{
    // The peak of the white noise on the far end's line while it receives page two, times the signal's RMS (about 14 dB SNR).
    private const double RefusingHiss = 0.35;
    private static readonly TimeSpan _intoPage = TimeSpan.FromSeconds(5);
    private PlatformProcess _platform = null!;
    private string _dir = "";

    [OneTimeSetUp]
    public async Task StartPlatform()
    {
        _platform = await PlatformProcess.StartAsync(
            "--Logging:LogLevel:CallCenter.ResourceControl.Calls.FaxCalls=Information",
            "--Logging:LogLevel:CallCenter.FaxSms.Fax=Information",
            "--Fax:MaxAttempts=2",
            "--Fax:RetrySeconds=5",
            // The far ends here (sipp, the test's fax machine) listen on loopback: allowed as an administrator would.
            "--Fax:SipHosts=127.0.0.1");
        _dir = Directory.CreateTempSubdirectory("fax-far-end-").FullName;
    }

    [OneTimeTearDown]
    public async Task StopPlatform()
    {
        await _platform.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public async Task AFaxTheFarEndCutsMidPageIsRetriedFromTheFirstPageNotConfirmedAndEndsPartial()
    {
        using var machine = new FaxMachine();
        var pdf = ThreePagePdf(_dir);
        var expected = FaxPageImage.ReadAll(FaxTests.RenderAsFax(pdf, _dir));

        var (posted, body) = await PostFaxAsync(machine.Uri, pdf);
        Assert.That(posted, Is.EqualTo(HttpStatusCode.Accepted), body);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;

        // First call: the far end takes page one whole, then hangs up five seconds into page two.
        var first = await machine.AnswerAsync(Path.Combine(_dir, "first-call.tif"), TimeSpan.FromMinutes(2), FaxAudio.MidPage(1, _intoPage));
        Assert.That(first, Is.Not.Null, "the platform called the far end\n" + _platform.Output);
        var queued = await WaitFaxAsync(id, f => f.GetProperty("attempts").GetInt32() == 1 && f.GetProperty("status").GetString() != FaxStatus.Sending, TimeSpan.FromSeconds(20));

        // Second call (the retry): from page two; cut again five seconds into page three, the last attempt.
        var second = await machine.AnswerAsync(Path.Combine(_dir, "second-call.tif"), TimeSpan.FromMinutes(2), FaxAudio.MidPage(1, _intoPage));
        Assert.That(second, Is.Not.Null, "the platform called again\n" + _platform.Output);
        var final = await WaitFaxAsync(id, f => f.GetProperty("status").GetString() is not (FaxStatus.Queued or FaxStatus.Sending), TimeSpan.FromSeconds(20));
        TestContext.Out.WriteLine($"first call {first}\nafter it {queued}\nsecond call {second}\nat the end {final}");

        // Each attempt names its call, whose record is an outbound call to the far end.
        var firstCallId = queued.GetProperty("callId").GetString();
        var lastCallId = final.GetProperty("callId").GetString();
        var record = await _platform.WaitForCallRecordAsync(c => c.GetProperty("id").GetString() == lastCallId, TimeSpan.FromSeconds(20));

        var firstPages = FaxPageImage.ReadAll(Path.Combine(_dir, "first-call.tif"));
        var secondPages = FaxPageImage.ReadAll(Path.Combine(_dir, "second-call.tif"));
        Assert.Multiple(() =>
        {
            Assert.That(first!.WeHungUp, Is.True);
            Assert.That(first.Caller, Is.EqualTo("95580"));
            Assert.That(first.Result.Pages, Is.EqualTo(1));
            Assert.That(queued.GetProperty("status").GetString(), Is.EqualTo(FaxStatus.Queued), "a dropped call is tried again");
            Assert.That(queued.GetProperty("pages").GetInt32(), Is.EqualTo(1), "the page the far end confirmed");
            Assert.That(queued.GetProperty("result").GetString(), Does.Contain("dropped"));
            Assert.That(queued.GetProperty("nextAttemptAt").ValueKind, Is.Not.EqualTo(JsonValueKind.Null));

            Assert.That(second!.WeHungUp, Is.True);
            Assert.That(second.Result.Pages, Is.EqualTo(1));
            Assert.That(final.GetProperty("status").GetString(), Is.EqualTo(FaxStatus.Partial), "out of attempts with some pages across");
            Assert.That(final.GetProperty("pages").GetInt32(), Is.EqualTo(2), "pages one and two, each confirmed once");
            Assert.That(final.GetProperty("documentPages").GetInt32(), Is.EqualTo(3));
            Assert.That(final.GetProperty("attempts").GetInt32(), Is.EqualTo(2));
            Assert.That(final.GetProperty("result").GetString(), Does.Contain("dropped"));
            Assert.That(firstCallId, Is.Not.Null.And.Not.EqualTo(lastCallId), "the row names the call of each attempt");
            Assert.That(record?.GetProperty("direction").GetString(), Is.EqualTo("outbound"), _platform.Output);
            Assert.That(record?.GetProperty("dialed").GetString(), Is.EqualTo("fax"));

            // The far end's BYE ended the call, but its record says what became of the fax: T.30's result, a fax ending.
            Assert.That(record?.GetProperty("disposition").GetString(), Is.EqualTo("fax-failed"), record.ToString());
            Assert.That(record?.GetProperty("fax").GetProperty("id").GetString(), Is.EqualTo(id));
            Assert.That(record?.GetProperty("fax").GetProperty("direction").GetString(), Is.EqualTo("outbound"));
            Assert.That(record?.GetProperty("fax").GetProperty("pages").GetInt32(), Is.EqualTo(1), "the page confirmed on this call");
            Assert.That(record?.GetProperty("fax").GetProperty("bitRate").GetInt32(), Is.GreaterThanOrEqualTo(2400));
            Assert.That(record?.GetProperty("fax").GetProperty("result").GetString(), Does.Contain("dropped"));

            // What the far end kept: page one on the first call, page two (not page one again) on the second.
            Assert.That(firstPages, Has.Count.EqualTo(1));
            Assert.That(secondPages, Has.Count.EqualTo(1));

            // Two blank pages compare as the same (Score 1): the pages must have ink for the comparisons to mean anything.
            Assert.That(expected.Select(p => p.Ink), Is.All.GreaterThan(1000), "the pages rendered here have something on them");
            Assert.That(firstPages.Concat(secondPages).Select(p => p.Ink), Is.All.GreaterThan(expected.Min(p => p.Ink) / 4), "the far end's pages are not blank");
            Assert.That(FaxPageImage.Compare(expected[0], firstPages[0]).Score, Is.GreaterThanOrEqualTo(FaxPageMatch.SameDocument));
            Assert.That(FaxPageImage.Compare(expected[1], secondPages[0]).Score, Is.GreaterThanOrEqualTo(FaxPageMatch.SameDocument));
            Assert.That(FaxPageImage.Compare(expected[0], secondPages[0]).Score, Is.LessThan(0.5), "page one was not sent again");
        });
    }

    [Test]
    public async Task APageTheFarEndRefusesIsNotCountedAsSentAndTheRetrySendsOnlyThatPage()
    {
        // The far end offers no ECM; once its modem has trained for page two (its own T.30 log) a hiss rides on what it hears
        // (about 14 dB below the signal), so many rows arrive spoiled that its spandsp, by its own copy-quality check, refuses
        // the page (RTN). Nothing tells it to refuse. Page two is the last, so the platform's spandsp hangs up and calls it
        // "OK": the page is not sent. (The same hiss from the far end's MCF on, over page two's training too, failed that
        // training instead, and spandsp 0.0.6 answered the EOP with MCF for a page it never got: the platform counted it sent.)
        using var machine = new FaxMachine();
        var pdf = FaxTests.TwoPagePdf(_dir);
        var expected = FaxPageImage.ReadAll(FaxTests.RenderAsFax(pdf, _dir));
        var (posted, body) = await PostFaxAsync(machine.Uri, pdf);
        Assert.That(posted, Is.EqualTo(HttpStatusCode.Accepted), body);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;

        var log = new T30Log();
        var line = new Hiss();
        var first = await machine.AnswerAsync(Path.Combine(_dir, "refusing-call.tif"), TimeSpan.FromMinutes(2), noise: (_, rms) => line.Add(log.NextPageUnderWay, rms), ecm: false, logger: log);
        Assert.That(first, Is.Not.Null, "the platform called the far end\n" + _platform.Output);
        var queued = await WaitFaxAsync(id, f => f.GetProperty("attempts").GetInt32() == 1 && f.GetProperty("status").GetString() != FaxStatus.Sending, TimeSpan.FromSeconds(20));
        TestContext.Out.WriteLine($"first call {first}\nafter it {queued}\nline: {line}\nthe far end's T.30:\n{string.Join('\n', log.Lines.Where(l => l.Contains("x: ", StringComparison.Ordinal) || l.Contains(" rows", StringComparison.Ordinal) || l.Contains("Training", StringComparison.Ordinal)))}");

        // The retry (Fax:RetrySeconds later), on a clean line: page two only.
        var second = await machine.AnswerAsync(Path.Combine(_dir, "clean-call.tif"), TimeSpan.FromMinutes(2), ecm: false);
        Assert.That(second, Is.Not.Null, "the platform called again\n" + _platform.Output);
        var final = await WaitFaxAsync(id, f => f.GetProperty("status").GetString() is not (FaxStatus.Queued or FaxStatus.Sending), TimeSpan.FromSeconds(20));
        TestContext.Out.WriteLine($"second call {second}\nat the end {final}");
        var firstPages = FaxPageImage.ReadAll(Path.Combine(_dir, "refusing-call.tif"));
        var secondPages = FaxPageImage.ReadAll(Path.Combine(_dir, "clean-call.tif"));
        var firstCall = await _platform.WaitForCallRecordAsync(c => c.GetProperty("id").GetString() == queued.GetProperty("callId").GetString(), TimeSpan.FromSeconds(20));

        Assert.Multiple(() =>
        {
            Assert.That(log.Sent("RTN"), Is.EqualTo(1), "the far end itself refused a page (its own T.30 log)");
            Assert.That(first!.Result.Pages, Is.EqualTo(1), $"the far end kept page one and refused page two: {first.Result}");
            Assert.That(first.Result.Rejections, Is.EqualTo(1));
            Assert.That(queued.GetProperty("status").GetString(), Is.EqualTo(FaxStatus.Queued), "a refused page may pass on another call\n" + _platform.Output);
            Assert.That(queued.GetProperty("pages").GetInt32(), Is.EqualTo(1), "only page one was confirmed");
            Assert.That(queued.GetProperty("resultCode").GetInt32(), Is.EqualTo(FaxResult.PageRefused));
            Assert.That(queued.GetProperty("result").GetString(), Does.Contain("refused page 2"));
            Assert.That(firstCall?.GetProperty("disposition").GetString(), Is.EqualTo("fax-failed"), "the call's record does not say the fax was sent\n" + firstCall);
            Assert.That(firstCall?.GetProperty("fax").GetProperty("resultCode").GetInt32(), Is.EqualTo(FaxResult.PageRefused), firstCall.ToString());
            Assert.That(firstCall?.GetProperty("fax").GetProperty("result").GetString(), Does.Contain("refused page 2"));
            Assert.That(firstCall?.GetProperty("fax").GetProperty("pages").GetInt32(), Is.EqualTo(1));
            Assert.That(firstCall?.GetProperty("fax").GetProperty("ecm").GetBoolean(), Is.False);
            Assert.That(_platform.Output, Does.Contain("the receiving machine refused page 2 (RTN)"), "a warning in the log");

            Assert.That(second!.Result.Succeeded, Is.True, second.Result.ToString());
            Assert.That(final.GetProperty("status").GetString(), Is.EqualTo(FaxStatus.Sent), final.ToString());
            Assert.That(final.GetProperty("pages").GetInt32(), Is.EqualTo(2));
            Assert.That(final.GetProperty("attempts").GetInt32(), Is.EqualTo(2));

            // The far end's pages: page one on the first call, page two alone on the second.
            Assert.That(firstPages, Has.Count.EqualTo(1));
            Assert.That(secondPages, Has.Count.EqualTo(1), "page one was not sent again");
            Assert.That(expected.Select(p => p.Ink), Is.All.GreaterThan(1000), "the pages rendered here have something on them");
            Assert.That(FaxPageImage.Compare(expected[0], firstPages[0]).Score, Is.GreaterThanOrEqualTo(FaxPageMatch.SameDocument));
            Assert.That(FaxPageImage.Compare(expected[1], secondPages[0]).Score, Is.GreaterThanOrEqualTo(FaxPageMatch.SameDocument));
            Assert.That(FaxPageImage.Compare(expected[0], secondPages[0]).Score, Is.LessThan(0.5), "page one was not sent again");
        });
    }

    [Test]
    public async Task AFaxItsSenderCutsMidPageKeepsEveryPageThatArrivedWhole()
    {
        var tiff = FaxTests.RenderAsFax(ThreePagePdf(_dir), _dir);
        var expected = FaxPageImage.ReadAll(tiff);

        var (status, sent) = await FaxPhone.SendAsync(_platform.SipEndPoint, "95580", tiff, TimeSpan.FromMinutes(2), caller: "13800000005", hangUpWhen: FaxAudio.MidPage(1, _intoPage));

        Assert.That(status, Is.EqualTo(200), _platform.Output);
        Assert.That(sent!.Pages, Is.EqualTo(1), $"the test's sender had page one confirmed before it hung up: {sent}");
        var fax = await WaitInboundAsync("13800000005");
        var id = fax.GetProperty("id").GetString()!;
        var stored = FaxPageImage.ReadAll(Path.Combine(_platform.WorkDirectory, "faxes", "inbound", id + ".tif"));
        using var http = new HttpClient { BaseAddress = _platform.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", "demo-api-key");
        var pdf = await http.GetByteArrayAsync($"api/faxes/{id}/pdf");
        var callId = fax.GetProperty("callId").GetString();
        var record = await _platform.WaitForCallRecordAsync(c => c.GetProperty("id").GetString() == callId, TimeSpan.FromSeconds(20));
        Assert.Multiple(() =>
        {
            // The sender's BYE ended the call; its record still carries the T.30 result and a fax ending.
            Assert.That(record?.GetProperty("disposition").GetString(), Is.EqualTo("fax-failed"), record + "\n" + _platform.Output);
            Assert.That(record?.GetProperty("fax").GetProperty("id").GetString(), Is.EqualTo(id));
            Assert.That(record?.GetProperty("fax").GetProperty("direction").GetString(), Is.EqualTo("inbound"));
            Assert.That(record?.GetProperty("fax").GetProperty("succeeded").GetBoolean(), Is.False);
            Assert.That(record?.GetProperty("fax").GetProperty("pages").GetInt32(), Is.EqualTo(1));
            Assert.That(record?.GetProperty("fax").GetProperty("result").GetString(), Does.Contain("dropped"));

            Assert.That(fax.GetProperty("status").GetString(), Is.EqualTo(FaxStatus.Partial), fax.ToString());
            Assert.That(fax.GetProperty("pages").GetInt32(), Is.EqualTo(1));
            Assert.That(fax.GetProperty("result").GetString(), Does.Contain("dropped"));
            Assert.That(stored, Has.Count.EqualTo(1), "the page cut short is not stored as a page");
            Assert.That(expected[0].Ink, Is.GreaterThan(1000), "the page sent has something on it");
            Assert.That(stored.Select(p => p.Ink), Is.All.GreaterThan(expected[0].Ink / 4), "the page stored is not blank");
            Assert.That(FaxPageImage.Compare(expected[0], stored[0]).Score, Is.GreaterThanOrEqualTo(FaxPageMatch.SameDocument));
            Assert.That(System.Text.Encoding.ASCII.GetString(pdf, 0, 5), Is.EqualTo("%PDF-"), "the page kept is served as a PDF too");
        });
    }

    [Test]
    public async Task AFaxAnsweredByAVoiceFailsWithSpandspsReasonWithinT30sTimeoutsAfterItsRetry()
    {
        var sippPort = FreePorts.UdpAndTcp();
        var scenario = AgentPhone.Template("fax-remote-speaks.xml", new() { ["{FAX_NUMBER}"] = "95580" });
        await using var person = Sipp.Start($"127.0.0.1:{_platform.SipPort}", ["-sf", scenario, "-m", "2", "-timeout", "300s", "-timeout_error"], sippPort);
        var pdf = ThreePagePdf(_dir);
        var clock = Stopwatch.StartNew();

        var (posted, body) = await PostFaxAsync($"sip:person@127.0.0.1:{sippPort}", pdf);
        Assert.That(posted, Is.EqualTo(HttpStatusCode.Accepted), body);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;

        var afterFirst = await WaitFaxAsync(id, f => f.GetProperty("attempts").GetInt32() == 1 && f.GetProperty("status").GetString() != FaxStatus.Sending, TimeSpan.FromSeconds(120));
        var firstTook = clock.Elapsed;
        var final = await WaitFaxAsync(id, f => f.GetProperty("status").GetString() is not (FaxStatus.Queued or FaxStatus.Sending), TimeSpan.FromSeconds(120));
        var allTook = clock.Elapsed;
        var sipp = await person.WaitAsync(TimeSpan.FromSeconds(30));
        File.Delete(scenario);
        TestContext.Out.WriteLine($"after {firstTook.TotalSeconds:0.0} s: {afterFirst}\nafter {allTook.TotalSeconds:0.0} s: {final}");

        Assert.Multiple(() =>
        {
            Assert.That(afterFirst.GetProperty("status").GetString(), Is.EqualTo(FaxStatus.Queued), "tried again, as a call that did not reach a fax machine may");
            Assert.That(afterFirst.GetProperty("pages").GetInt32(), Is.Zero);
            Assert.That(afterFirst.GetProperty("resultCode").ValueKind, Is.EqualTo(JsonValueKind.Number), "spandsp's code, not a SIP status");
            Assert.That(final.GetProperty("status").GetString(), Is.EqualTo(FaxStatus.Failed));
            Assert.That(final.GetProperty("pages").GetInt32(), Is.Zero);
            Assert.That(final.GetProperty("attempts").GetInt32(), Is.EqualTo(2));
            Assert.That(final.GetProperty("result").GetString(), Is.EqualTo(afterFirst.GetProperty("result").GetString()));
            Assert.That(final.GetProperty("result").GetString(), Does.Contain("Timed out waiting for initial communication"), "T.30's T0: no fax machine answered");
            Assert.That(firstTook, Is.LessThan(TimeSpan.FromSeconds(60 + 15)), "ended by T0 (60 s), not by the call's 900 s limit");
            Assert.That(allTook, Is.LessThan(TimeSpan.FromSeconds((2 * 60) + 5 + 25)));
            Assert.That(sipp.SuccessfulCalls, Is.EqualTo(2), sipp.Output);
        });
    }

    // A remote that answers the INVITE with a refusal, never a call: busy is tried again (Fax:MaxAttempts, 2 here) and then
    // failed; a decline is final at once. Either way the row and its outbox status say the SIP answer, and no call is recorded.
    [TestCase(486, "Busy Here", 2, TestName = "AFaxToABusyRemoteIsTriedAgainThenFailsWithTheSipAnswer")]
    [TestCase(603, "Decline", 1, TestName = "AFaxTheRemoteDeclinesFailsAtOnceWithTheSipAnswerAndIsNotTriedAgain")]
    public async Task AFaxTheRemoteRefusesEndsWithItsAnswer(int status, string reason, int attempts)
    {
        var sippPort = FreePorts.UdpAndTcp();
        var scenario = AgentPhone.Template("fax-refuses.xml", new() { ["{FAX_NUMBER}"] = "95580", ["{STATUS}"] = $"{status}", ["{REASON}"] = reason });
        await using var remote = Sipp.Start($"127.0.0.1:{_platform.SipPort}", ["-sf", scenario, "-m", $"{attempts}", "-timeout", "60s", "-timeout_error"], sippPort);
        var clock = Stopwatch.StartNew();

        var (posted, body) = await PostFaxAsync($"sip:refuses@127.0.0.1:{sippPort}", ThreePagePdf(_dir));
        Assert.That(posted, Is.EqualTo(HttpStatusCode.Accepted), body);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;

        var afterFirst = await WaitFaxAsync(id, f => f.GetProperty("attempts").GetInt32() == 1 && f.GetProperty("status").GetString() != FaxStatus.Sending, TimeSpan.FromSeconds(20));
        var final = await WaitFaxAsync(id, f => f.GetProperty("status").GetString() is not (FaxStatus.Queued or FaxStatus.Sending), TimeSpan.FromSeconds(20));
        var took = clock.Elapsed;
        var sipp = await remote.WaitAsync(TimeSpan.FromSeconds(20));

        // Past the retry interval (5 s): a final answer stays final.
        await Task.Delay(TimeSpan.FromSeconds(6));
        var (_, after) = await _platform.GetApiAsync($"api/faxes/{id}");
        File.Delete(scenario);
        TestContext.Out.WriteLine($"after the first attempt: {afterFirst}\nafter {took.TotalSeconds:0.0} s: {final}\nlater: {after}");

        Assert.Multiple(() =>
        {
            Assert.That(afterFirst.GetProperty("status").GetString(), Is.EqualTo(attempts > 1 ? FaxStatus.Queued : FaxStatus.Failed));
            Assert.That(afterFirst.GetProperty("result").GetString(), Is.EqualTo($"SIP {status}: {reason}"));
            Assert.That(final.GetProperty("status").GetString(), Is.EqualTo(FaxStatus.Failed));
            Assert.That(final.GetProperty("result").GetString(), Is.EqualTo($"SIP {status}: {reason}"), "the remote's answer is the reason");
            Assert.That(final.GetProperty("pages").GetInt32(), Is.Zero);
            Assert.That(final.GetProperty("attempts").GetInt32(), Is.EqualTo(attempts));
            Assert.That(final.GetProperty("resultCode").ValueKind, Is.EqualTo(JsonValueKind.Null), "no T.30 ran: no spandsp code");
            Assert.That(final.GetProperty("callId").ValueKind, Is.EqualTo(JsonValueKind.Null), "no call was answered, so none is recorded");
            Assert.That(final.GetProperty("nextAttemptAt").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(after.GetProperty("attempts").GetInt32(), Is.EqualTo(attempts), "not dialled again after the retry interval");
            Assert.That(after.GetProperty("status").GetString(), Is.EqualTo(FaxStatus.Failed));
            Assert.That(sipp.SuccessfulCalls, Is.EqualTo(attempts), "each attempt was one INVITE, refused and acknowledged\n" + sipp.Output);
            Assert.That(took, Is.LessThan(TimeSpan.FromSeconds(20)), "ended by the answer, not a timeout");
        });
    }

    [Test]
    public async Task AFaxWhoseDocumentIsGoneWhenAnsweredIsHungUpAndFailsWithoutRetry()
    {
        var sippPort = FreePorts.UdpAndTcp();
        var scenario = AgentPhone.Template("fax-answers-late.xml", new() { ["{FAX_NUMBER}"] = "95580" });
        await using var late = Sipp.Start($"127.0.0.1:{_platform.SipPort}", ["-sf", scenario, "-m", "1", "-timeout", "60s", "-timeout_error"], sippPort);

        var (posted, body) = await PostFaxAsync($"sip:late@127.0.0.1:{sippPort}", ThreePagePdf(_dir));
        Assert.That(posted, Is.EqualTo(HttpStatusCode.Accepted), body);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;

        // While the far end rings (4 s), the rendered document disappears (a clean-up, a full disk, an operator).
        await WaitFaxAsync(id, f => f.GetProperty("status").GetString() == FaxStatus.Sending, TimeSpan.FromSeconds(10));
        await Task.Delay(1500);
        File.Delete(Path.Combine(_platform.WorkDirectory, "faxes", "outbound", id + ".tif"));

        var final = await WaitFaxAsync(id, f => f.GetProperty("status").GetString() is not (FaxStatus.Queued or FaxStatus.Sending), TimeSpan.FromSeconds(30));
        var sipp = await late.WaitAsync(TimeSpan.FromSeconds(20));
        File.Delete(scenario);
        await Task.Delay(TimeSpan.FromSeconds(6));
        var (_, after) = await _platform.GetApiAsync($"api/faxes/{id}");
        Assert.Multiple(() =>
        {
            Assert.That(sipp.SuccessfulCalls, Is.EqualTo(1), "the answered call was hung up (BYE) at once\n" + sipp.Output);
            Assert.That(final.GetProperty("status").GetString(), Is.EqualTo(FaxStatus.Failed), final.ToString());
            Assert.That(final.GetProperty("result").GetString(), Does.Contain("document").And.Contain("does not exist"));
            Assert.That(final.GetProperty("attempts").GetInt32(), Is.EqualTo(1), "a document that is gone is not tried again");
            Assert.That(after.GetProperty("attempts").GetInt32(), Is.EqualTo(1), "still one attempt after the retry interval");
            Assert.That(_platform.Output, Does.Not.Contain("failed inside the platform"), "not an internal fault");
        });
    }

    private static string ThreePagePdf(string directory)
    {
        var pdf = Path.Combine(directory, "three-pages.pdf");
        if (!File.Exists(pdf))
        {
            var ps = Path.Combine(directory, "three-pages.ps");
            File.WriteAllText(ps, FaxTestPostScript.Document(
                FaxTestPostScript.Light("Fax test page one"),
                FaxTestPostScript.Dense("Page two", 15, seed: 2),
                FaxTestPostScript.Dense("Page three", 15, seed: 3)));
            using var gs = Process.Start("gs", ["-q", "-dBATCH", "-dNOPAUSE", "-dSAFER", "-sDEVICE=pdfwrite", "-sOutputFile=" + pdf, ps])!;
            gs.WaitForExit();
            Assert.That(gs.ExitCode, Is.Zero, "ghostscript made the test's PDF");
        }

        return pdf;
    }

    private async Task<(HttpStatusCode Status, string Body)> PostFaxAsync(string to, string pdf)
    {
        using var http = new HttpClient { BaseAddress = _platform.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", "demo-api-key");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(to), "to" },
            { new ByteArrayContent(await File.ReadAllBytesAsync(pdf)), "document", "three-pages.pdf" },
        };
        using var response = await http.PostAsync("api/faxes", form);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> WaitFaxAsync(string id, Func<JsonElement, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            var (status, body) = await _platform.GetApiAsync($"api/faxes/{id}");
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            last = body;
            if (done(body))
            {
                return body;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"fax {id}: {last}\n{_platform.Output}");
        return last;
    }

    private async Task<JsonElement> WaitInboundAsync(string remote)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            var (_, body) = await _platform.GetApiAsync("api/faxes?direction=inbound");
            last = body;
            foreach (var fax in body.EnumerateArray())
            {
                if (fax.GetProperty("remote").GetString() == remote && fax.GetProperty("status").GetString() != FaxStatus.Receiving)
                {
                    return fax;
                }
            }

            await Task.Delay(200);
        }

        Assert.Fail($"no finished inbound fax from {remote}: {last}\n{_platform.Output}");
        return last;
    }

    /// <summary>
    /// The hiss on the far end's line: uniform noise of peak <see cref="RefusingHiss"/> times the RMS of each frame heard while
    /// on, and what it came to (the signal-to-noise ratio over the frames with a signal in them).
    /// </summary>
    private sealed class Hiss
    {
        private double _signal;
        private double _noise;
        private int _frames;

        public int Add(bool on, double rms)
        {
            if (!on || rms < 100)
            {
                return 0;
            }

            var peak = (int)(rms * RefusingHiss);
            _signal += rms * rms;
            _noise += (double)peak * peak / 3;
            _frames++;
            return peak;
        }

        public override string ToString() =>
            _frames == 0 ? "no hiss" : $"{_frames} frames hissed ({_frames * 20 / 1000.0:0.0} s), SNR {10 * Math.Log10(_signal / _noise):0.0} dB";
    }
}
