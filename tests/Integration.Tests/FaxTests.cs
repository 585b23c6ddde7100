using System.Diagnostics;
using System.Net;
using System.Text.Json;
using CallCenter.FaxSms.Fax;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>
/// Fax over the platform's own SIP and G.711 (issue 16): a fax machine of the test's own
/// (<see cref="FaxPhone"/>, spandsp's T.30 in real time over RTP) calls the fax number, and the
/// platform's receiver (a call kind on the media clock) takes the pages, stores them as TIFF and PDF
/// and lists the fax on /api/faxes.
/// </summary>
[NonParallelizable]
public sealed class FaxTests
{
    private const string Mailbox = "fax-desk@example.cn";
    private PlatformProcess _platform = null!;
    private SmtpServer _smtp = null!;
    private string _dir = "";

    [OneTimeSetUp]
    public async Task StartPlatform()
    {
        // A real SMTP server on loopback: each received fax is mailed to Fax:MailTo as a PDF through the outbox.
        _smtp = await SmtpServer.StartAsync("none");
        _platform = await PlatformProcess.StartAsync(
            "--Logging:LogLevel:CallCenter.ResourceControl.Calls.FaxCalls=Information",
            "--Mail:Smtp:Host=127.0.0.1",
            $"--Mail:Smtp:Port={_smtp.Port}",
            "--Mail:Smtp:Security=none",
            "--Mail:From=传真 <fax@callcenter.example.cn>",
            $"--Fax:MailTo={Mailbox}",
            // Ordinary documents take well under a second of CPU; the hostile one below takes minutes.
            "--Fax:RenderCpuSeconds=3");
        _dir = Directory.CreateTempSubdirectory("fax-it-").FullName;
    }

    [OneTimeTearDown]
    public async Task StopPlatform()
    {
        await _platform.DisposeAsync();
        await _smtp.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public async Task AFaxSentTo95580ArrivesWithItsPagesAndIsListedAsInbound()
    {
        var tiff = TwoPageTiff(_dir);

        var (status, sent) = await FaxPhone.SendAsync(_platform.SipEndPoint, "95580", tiff, TimeSpan.FromMinutes(2));

        Assert.That(status, Is.EqualTo(200), _platform.Output);
        Assert.That(sent, Is.Not.Null);
        Assert.That(sent!.Succeeded, Is.True, $"{sent}\n{_platform.Output}");
        Assert.That(sent.Pages, Is.EqualTo(2));

        var fax = await WaitInboundAsync(f => f.GetProperty("status").GetString() != FaxStatus.Receiving && f.GetProperty("remote").GetString() == "13800000001");
        var id = fax.GetProperty("id").GetString()!;
        var (one, shown) = await _platform.GetApiAsync($"api/faxes/{id}");
        Assert.Multiple(() =>
        {
            Assert.That(fax.GetProperty("status").GetString(), Is.EqualTo("received"), fax.ToString());
            Assert.That(fax.GetProperty("pages").GetInt32(), Is.EqualTo(2));
            Assert.That(fax.GetProperty("from").GetString(), Is.EqualTo("13800000001"));
            Assert.That(one, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(shown.GetProperty("direction").GetString(), Is.EqualTo("inbound"));
            Assert.That(shown.GetProperty("pages").GetInt32(), Is.EqualTo(2));
            Assert.That(shown.GetProperty("result").GetString(), Is.EqualTo("OK"));
        });

        // The stored pages: a TIFF of two pages at fax resolution, and a PDF served by the API.
        var stored = Path.Combine(_platform.WorkDirectory, "faxes", "inbound", id + ".tif");
        var pages = TiffPages.Read(stored);
        Assert.That(pages, Has.Count.EqualTo(2));
        Assert.That(pages.Select(p => p.Width), Is.All.EqualTo(1728));
        using var http = new HttpClient { BaseAddress = _platform.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", "demo-api-key");
        var pdf = await http.GetByteArrayAsync($"api/faxes/{id}/pdf");
        Assert.That(System.Text.Encoding.ASCII.GetString(pdf, 0, 5), Is.EqualTo("%PDF-"));

        // The fax names its call, whose record says it was a call to the fax number.
        var callId = shown.GetProperty("callId").GetString();
        var record = await _platform.WaitForCallRecordAsync(c => c.GetProperty("id").GetString() == callId, TimeSpan.FromSeconds(20));
        Assert.That(record?.GetProperty("dialed").GetString(), Is.EqualTo("95580"), _platform.Output);

        // And mailed: the same PDF attached, to the configured mailbox, through the outbox.
        var mail = await WaitMailAsync("Fax from 13800000001: 2 pages");
        Assert.That(mail.Envelope, Does.Contain(Mailbox));
        var attachment = mail.Message.Attachments.OfType<MimeKit.MimePart>().Single();
        using var content = new MemoryStream();
        await attachment.Content!.DecodeToAsync(content);
        Assert.Multiple(() =>
        {
            Assert.That(attachment.ContentType.MimeType, Is.EqualTo("application/pdf"));
            Assert.That(content.ToArray(), Is.EqualTo(pdf));
        });
    }

    [Test]
    public async Task AFaxMachineCallingTheMainLineIsHeardDuringTheGreetingAndItsFaxReceivedAsOnTheFaxNumber()
    {
        // The same T.30 sender, calling the hotline 95500 instead of 95580: it hears the IVR's greeting
        // while its CNG tone plays; the platform must hear the tone and take the fax.
        var tiff = TwoPageTiff(_dir);

        var (status, sent) = await FaxPhone.SendAsync(_platform.SipEndPoint, "95500", tiff, TimeSpan.FromMinutes(2), caller: "13800000002");

        Assert.That(status, Is.EqualTo(200), _platform.Output);
        Assert.That(sent, Is.Not.Null);
        Assert.That(sent!.Succeeded, Is.True, $"{sent}\n{_platform.Output}");
        Assert.That(sent.Pages, Is.EqualTo(2));

        var fax = await WaitInboundAsync(f => f.GetProperty("status").GetString() != FaxStatus.Receiving && f.GetProperty("remote").GetString() == "13800000002");
        var id = fax.GetProperty("id").GetString()!;
        Assert.Multiple(() =>
        {
            Assert.That(fax.GetProperty("status").GetString(), Is.EqualTo("received"), fax.ToString());
            Assert.That(fax.GetProperty("pages").GetInt32(), Is.EqualTo(2));
            Assert.That(fax.GetProperty("to").GetString(), Is.EqualTo("95500"));
            Assert.That(fax.GetProperty("task").GetString(), Is.EqualTo("new"));
            Assert.That(_platform.Output, Does.Contain("a fax's CNG tone was heard"));
        });
        Assert.That(TiffPages.Read(Path.Combine(_platform.WorkDirectory, "faxes", "inbound", id + ".tif")), Has.Count.EqualTo(2));

        // The call's record: a call to the main line that ended as a received fax.
        var callId = fax.GetProperty("callId").GetString();
        var record = await _platform.WaitForCallRecordAsync(c => c.GetProperty("id").GetString() == callId, TimeSpan.FromSeconds(20));
        Assert.Multiple(() =>
        {
            Assert.That(record?.GetProperty("dialed").GetString(), Is.EqualTo("95500"), _platform.Output);
            Assert.That(record?.GetProperty("disposition").GetString(), Is.EqualTo("fax-received"));
        });

        // Mailed as the fax number's are.
        var mail = await WaitMailAsync("Fax from 13800000002: 2 pages");
        Assert.That(mail.Envelope, Does.Contain(Mailbox));
        Assert.That(mail.Message.TextBody, Does.Contain("A fax was received on 95500, not the fax number 95580"), "the mail names the number the fax machine called");
        Assert.That(mail.Message.Attachments.OfType<MimeKit.MimePart>().Single().ContentType.MimeType, Is.EqualTo("application/pdf"));

        // The supervisors' task: new, then handled once (by the API key here), then no longer in the new list.
        var (handled, handledBody) = await _platform.PostApiAsync($"api/faxes/{id}/handled", "{}");
        var (again, againBody) = await _platform.PostApiAsync($"api/faxes/{id}/handled", "{}");
        var (_, open) = await _platform.GetApiAsync("api/faxes?task=new");
        var (_, done) = await _platform.GetApiAsync("api/faxes?task=handled");
        var (badTask, _) = await _platform.GetApiAsync("api/faxes?task=someday");
        var audited = new List<string>();
        await using (var database = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_platform.WorkDirectory, "callcenter.db")}"))
        {
            await database.OpenAsync();
            await using var read = database.CreateCommand();
            read.CommandText = "SELECT actor || '|' || role || '|' || outcome || '|' || detail FROM audit_log WHERE action = 'fax.handled' AND target = $id ORDER BY seq";
            read.Parameters.AddWithValue("$id", id);
            await using var rows = await read.ExecuteReaderAsync();
            while (await rows.ReadAsync())
            {
                audited.Add(rows.GetString(0));
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(audited, Has.Count.EqualTo(2), string.Join("\n", audited));
            Assert.That(audited.ElementAtOrDefault(0), Is.EqualTo("api-key|api|done|received fax from 13800000002, 2 pages"));
            Assert.That(audited.ElementAtOrDefault(1), Does.StartWith("api-key|api|refused|it was marked handled by api-key at "));
            Assert.That(handled, Is.EqualTo(HttpStatusCode.OK), handledBody);
            Assert.That(JsonDocument.Parse(handledBody).RootElement.GetProperty("handledBy").GetString(), Is.EqualTo("api-key"));
            Assert.That(again, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(againBody, Does.Contain("marked handled by api-key"));
            Assert.That(open.EnumerateArray().Select(f => f.GetProperty("id").GetString()), Does.Not.Contain(id));
            Assert.That(done.EnumerateArray().Select(f => f.GetProperty("id").GetString()), Does.Contain(id));
            Assert.That(badTask, Is.EqualTo(HttpStatusCode.BadRequest));
        });
    }

    [Test]
    public async Task APageDamagedOnTheLineIsKeptWithItsDamagedRowsCountedInTheRowTheCallRecordAndTheMail()
    {
        // The test's sender offers no ECM, and 1 s into page two a 2 s burst of loud noise rides on what it sends: the
        // platform's receiver decodes page two with rows spoiled, few enough (under spandsp's 15 %) that it keeps the page.
        var tiff = TwoPageTiff(_dir);
        var frames = 0;
        var (status, sent) = await FaxPhone.SendAsync(
            _platform.SipEndPoint, "95580", tiff, TimeSpan.FromMinutes(2), caller: "13800000007",
            noise: (session, _) => session.Pages >= 1 && ++frames is > 50 and <= 150 ? 12000 : 0, ecm: false);

        Assert.That(status, Is.EqualTo(200), _platform.Output);
        Assert.That(sent, Is.Not.Null);
        TestContext.Out.WriteLine($"the sender's result: {sent}");
        var fax = await WaitInboundAsync(f => f.GetProperty("status").GetString() != FaxStatus.Receiving && f.GetProperty("remote").GetString() == "13800000007");
        var id = fax.GetProperty("id").GetString()!;
        var callId = fax.GetProperty("callId").GetString();
        var record = await _platform.WaitForCallRecordAsync(c => c.GetProperty("id").GetString() == callId, TimeSpan.FromSeconds(20));
        var badRows = record?.GetProperty("fax").GetProperty("badRows").GetInt32() ?? 0;
        var mail = await WaitMailAsync("Fax from 13800000007: 2 pages");
        var stored = TiffPages.Read(Path.Combine(_platform.WorkDirectory, "faxes", "inbound", id + ".tif"));
        Assert.Multiple(() =>
        {
            Assert.That(sent!.Succeeded, Is.True, $"the receiver confirmed both pages: {sent}\n{_platform.Output}");
            Assert.That(fax.GetProperty("status").GetString(), Is.EqualTo(FaxStatus.Received), fax.ToString());
            Assert.That(fax.GetProperty("pages").GetInt32(), Is.EqualTo(2), "the damaged page is kept, not dropped");
            Assert.That(stored, Has.Count.EqualTo(2));
            Assert.That(badRows, Is.GreaterThan(0), "the call's record counts the rows spandsp's T.4 decoder found damaged\n" + record);
            Assert.That(record?.GetProperty("fax").GetProperty("ecm").GetBoolean(), Is.False);
            Assert.That(fax.GetProperty("result").GetString(), Is.EqualTo($"OK; {badRows} damaged pixel rows"), "the fax's row says so");
            Assert.That(mail.Message.TextBody, Does.Contain($"Status: received (OK; {badRows} damaged pixel rows)"), "and so does the mail");
            Assert.That(_platform.Output, Does.Contain($"page 2 arrived with {badRows} damaged pixel rows"), "a warning in the log, naming the page");
        });
    }

    private async Task<(string Envelope, MimeKit.MimeMessage Message)> WaitMailAsync(string subject)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var (envelope, raw) in _smtp.Messages)
            {
                var message = MimeKit.MimeMessage.Load(new MemoryStream(raw));
                if (message.Subject?.Contains(subject, StringComparison.Ordinal) == true)
                {
                    return (envelope, message);
                }
            }

            await Task.Delay(200);
        }

        Assert.Fail($"no mail \"{subject}\": {_smtp.Output}\n{_platform.Output}");
        return default;
    }

    [Test]
    public async Task TheFaxListNeedsTheApiKeyAndRefusesAnUnknownDirection()
    {
        var (anonymous, _) = await _platform.GetApiAsync("api/faxes?direction=inbound", apiKey: null);
        var (bad, _) = await _platform.GetApiAsync("api/faxes?direction=sideways");
        var (missing, _) = await _platform.GetApiAsync("api/faxes/fax-nothing");

        Assert.Multiple(() =>
        {
            Assert.That(anonymous, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(bad, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(missing, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task ThePlatformFaxesAPdfToItsOwnNumberAndBothRowsShowThePagesWithTheirImages()
    {
        var pdf = TwoPagePdf(_dir);

        var (status, body) = await PostFaxAsync("95580", File.ReadAllBytes(pdf));

        Assert.That(status, Is.EqualTo(HttpStatusCode.Accepted), body);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
        var sent = await WaitFaxAsync(id, f => f.GetProperty("status").GetString() is not ("queued" or "sending"), TimeSpan.FromSeconds(120));
        var received = await WaitInboundAsync(f => f.GetProperty("status").GetString() != FaxStatus.Receiving && f.GetProperty("remote").GetString() == "95580");
        Assert.Multiple(() =>
        {
            Assert.That(sent.GetProperty("status").GetString(), Is.EqualTo("sent"), sent.ToString());
            Assert.That(sent.GetProperty("direction").GetString(), Is.EqualTo("outbound"));
            Assert.That(sent.GetProperty("pages").GetInt32(), Is.EqualTo(2));
            Assert.That(sent.GetProperty("documentPages").GetInt32(), Is.EqualTo(2));
            Assert.That(sent.GetProperty("attempts").GetInt32(), Is.EqualTo(1));
            Assert.That(received.GetProperty("status").GetString(), Is.EqualTo("received"), received.ToString());
            Assert.That(received.GetProperty("pages").GetInt32(), Is.EqualTo(2));
        });

        // Each call's own record ends with the fax's T.30 result: sent on one, received on the other.
        var sendingCall = await _platform.WaitForCallRecordAsync(c => FaxIdOf(c) == id, TimeSpan.FromSeconds(15))
            ?? throw new AssertionException("no call record for the sent fax\n" + _platform.Output);
        var receivingCall = await _platform.WaitForCallRecordAsync(c => FaxIdOf(c) == received.GetProperty("id").GetString(), TimeSpan.FromSeconds(15))
            ?? throw new AssertionException("no call record for the received fax\n" + _platform.Output);
        Assert.Multiple(() =>
        {
            Assert.That(sendingCall.GetProperty("disposition").GetString(), Is.EqualTo("fax-sent"), sendingCall.ToString());
            Assert.That(sendingCall.GetProperty("fax").GetProperty("pages").GetInt32(), Is.EqualTo(2));
            Assert.That(sendingCall.GetProperty("fax").GetProperty("succeeded").GetBoolean(), Is.True);
            Assert.That(sendingCall.GetProperty("fax").GetProperty("resultCode").GetInt32(), Is.Zero, "T30_ERR_OK");
            Assert.That(sendingCall.GetProperty("fax").GetProperty("bitRate").GetInt32(), Is.GreaterThanOrEqualTo(2400));
            Assert.That(receivingCall.GetProperty("disposition").GetString(), Is.EqualTo("fax-received"), receivingCall.ToString());
            Assert.That(receivingCall.GetProperty("fax").GetProperty("pages").GetInt32(), Is.EqualTo(2));
        });

        // The images: each page received is the page sent, the PDF rendered here as a fax page (A4, 1,728
        // dots, fine) and compared as pixels, allowing for T.4's resolution; and not the other page.
        var expected = FaxPageImage.ReadAll(RenderAsFax(pdf, _dir));
        var got = FaxPageImage.ReadAll(Path.Combine(_platform.WorkDirectory, "faxes", "inbound", received.GetProperty("id").GetString() + ".tif"));
        var first = FaxPageImage.Compare(expected[0], got[0]);
        var second = FaxPageImage.Compare(expected[1], got[1]);
        var swapped = FaxPageImage.Compare(expected[0], got[1]);
        TestContext.Out.WriteLine($"page 1: {first}\npage 2: {second}\npage 1 against page 2: {swapped}");
        Assert.Multiple(() =>
        {
            Assert.That(expected.Select(p => p.Ink), Is.All.GreaterThan(1000), "the pages rendered here have something on them");
            Assert.That(got, Has.Count.EqualTo(2));
            Assert.That(first.Score, Is.GreaterThanOrEqualTo(FaxPageMatch.SameDocument), first.ToString());
            Assert.That(second.Score, Is.GreaterThanOrEqualTo(FaxPageMatch.SameDocument), second.ToString());
            Assert.That(swapped.Score, Is.LessThan(FaxPageMatch.SameDocument), swapped.ToString());
        });
    }

    private static string? FaxIdOf(JsonElement call) =>
        call.TryGetProperty("fax", out var fax) && fax.ValueKind == JsonValueKind.Object ? fax.GetProperty("id").GetString() : null;

    /// <summary>
    /// <paramref name="pdf"/> as a fax sends it (what FaxDocuments asks of ghostscript, written out here: A4
    /// fitted, 204 x 196 dots an inch, T.6): the image a received page must reproduce.
    /// </summary>
    internal static string RenderAsFax(string pdf, string directory)
    {
        var tiff = Path.Combine(directory, Path.GetFileNameWithoutExtension(pdf) + "-expected.tif");
        using var gs = Process.Start("gs", ["-q", "-dBATCH", "-dNOPAUSE", "-dSAFER", "-sDEVICE=tiffg4", "-r204x196", "-sPAPERSIZE=a4", "-dFIXEDMEDIA", "-dPDFFitPage", "-sOutputFile=" + tiff, pdf])!;
        gs.WaitForExit();
        Assert.That(gs.ExitCode, Is.Zero, "ghostscript rendered the expected pages");
        return tiff;
    }

    [Test]
    public async Task ADocumentThatIsNotAPdfOrANumberThatCannotBeFaxedIsRefusedWithTheReason()
    {
        var (notPdf, notPdfBody) = await PostFaxAsync("95580", "Dear client"u8.ToArray());
        var (broken, brokenBody) = await PostFaxAsync("95580", "%PDF-1.4\ngarbage\n%%EOF\n"u8.ToArray());
        var (badTo, badToBody) = await PostFaxAsync("sip:95580@fax.example.com", File.ReadAllBytes(TwoPagePdf(_dir)));
        var (phone, phoneBody) = await PostFaxAsync("13800000001", File.ReadAllBytes(TwoPagePdf(_dir)));
        var (listed, outbound) = await _platform.GetApiAsync("api/faxes?direction=outbound");

        Assert.Multiple(() =>
        {
            Assert.That(notPdf, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(notPdfBody, Does.Contain("not a PDF"));
            Assert.That(broken, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(brokenBody, Does.Contain("gs could not convert the document"));
            Assert.That(badTo, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(badToBody, Does.Contain("IP address"));
            Assert.That(phone, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(phoneBody, Does.Contain("no trunk is configured"), "this platform has no trunk to dial a number through");
            Assert.That(listed, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(outbound.EnumerateArray().Count(f => f.GetProperty("status").GetString() == "queued"), Is.Zero, "nothing refused was queued");
        });
    }

    [Test]
    public async Task ASipUriToAHostNotOnFaxSipHostsIsRefusedAndNothingIsSentThere()
    {
        // A SIP service of somebody else's on this host: Fax:SipHosts is empty here, so it is never called.
        using var elsewhere = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)elsewhere.Client.LocalEndPoint!).Port;
        var to = $"sip:00861012345678@127.0.0.1:{port}";

        var (status, body) = await PostFaxAsync(to, File.ReadAllBytes(TwoPagePdf(_dir)));

        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
        var (_, row) = await _platform.GetApiAsync($"api/faxes/{id}");
        using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var received = false;
        try
        {
            await elsewhere.ReceiveAsync(quiet.Token);
            received = true;
        }
        catch (OperationCanceledException)
        {
            // Nothing came: as it should be.
        }

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), body);
            Assert.That(body, Does.Contain($"127.0.0.1:{port} is not on Fax:SipHosts"));
            Assert.That(row.GetProperty("status").GetString(), Is.EqualTo(FaxStatus.Refused));
            Assert.That(row.GetProperty("result").GetString(), Does.Contain("Fax:SipHosts"));
            Assert.That(received, Is.False, "no INVITE (nor anything else) was sent to the host");
        });
    }

    [Test]
    public async Task ADocumentThatKeepsGhostscriptBusyIsRefusedAtTheCpuLimitWithTheReasonAndNoFileLeft()
    {
        // About 90 s of CPU unlimited: without the CPU limit it would end at the wall clock's 60 s, with another reason.
        var (status, body) = await PostFaxAsync("95580", HostilePdf.Busy(1_000_000));

        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
        var (_, row) = await _platform.GetApiAsync($"api/faxes/{id}");
        var outbound = Path.Combine(_platform.WorkDirectory, "faxes", "outbound");
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), body);
            Assert.That(body, Does.Contain("gs used more than 3 s of CPU on the document (Fax:RenderCpuSeconds)"));
            Assert.That(row.GetProperty("status").GetString(), Is.EqualTo(FaxStatus.Refused));
            Assert.That(row.GetProperty("result").GetString(), Does.Contain("Fax:RenderCpuSeconds"));
            Assert.That(Directory.Exists(outbound) ? Directory.GetFiles(outbound, id + "*") : [], Is.Empty, "the upload and its partial TIFF are removed");
        });
    }

    private async Task<(HttpStatusCode Status, string Body)> PostFaxAsync(string to, byte[] document)
    {
        using var http = new HttpClient { BaseAddress = _platform.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", "demo-api-key");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(to), "to" },
            { new ByteArrayContent(document), "document", "statement.pdf" },
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

            await Task.Delay(250);
        }

        Assert.Fail($"fax {id}: {last}\n{_platform.Output}");
        return last;
    }

    private async Task<JsonElement> WaitInboundAsync(Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            var (status, body) = await _platform.GetApiAsync("api/faxes?direction=inbound");
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            last = body;
            foreach (var fax in body.EnumerateArray())
            {
                if (done(fax))
                {
                    return fax;
                }
            }

            await Task.Delay(200);
        }

        Assert.Fail($"no finished inbound fax: {last}\n{_platform.Output}");
        return last;
    }

    internal static string TwoPagePdf(string directory)
    {
        var ps = Path.Combine(directory, "two-pages.ps");
        var pdf = Path.Combine(directory, "two-pages.pdf");
        if (!File.Exists(pdf))
        {
            TwoPageTiff(directory);
            using var gs = Process.Start("gs", ["-q", "-dBATCH", "-dNOPAUSE", "-dSAFER", "-sDEVICE=pdfwrite", "-sOutputFile=" + pdf, ps])!;
            gs.WaitForExit();
            Assert.That(gs.ExitCode, Is.Zero, "ghostscript made the test's PDF");
        }

        return pdf;
    }

    internal static string TwoPageTiff(string directory)
    {
        var ps = Path.Combine(directory, "two-pages.ps");
        var tiff = Path.Combine(directory, "two-pages.tif");
        if (!File.Exists(tiff))
        {
            File.WriteAllText(ps, "%!PS\n/Helvetica findfont 28 scalefont setfont\n72 700 moveto (Fax test page one) show showpage\n72 700 moveto (Fax test page two) show 100 100 moveto 500 600 lineto 4 setlinewidth stroke showpage\n");
            using var gs = Process.Start("gs", ["-q", "-dBATCH", "-dNOPAUSE", "-dSAFER", "-sDEVICE=tiffg4", "-r204x196", "-sPAPERSIZE=a4", "-sOutputFile=" + tiff, ps])!;
            gs.WaitForExit();
            Assert.That(gs.ExitCode, Is.Zero, "ghostscript made the test's document");
        }

        return tiff;
    }
}
