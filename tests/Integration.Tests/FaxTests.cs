using System.Diagnostics;
using System.Net;
using System.Text.Json;
using CallCenter.FaxSms.Fax;

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
    private PlatformProcess _platform = null!;
    private string _dir = "";

    [OneTimeSetUp]
    public async Task StartPlatform()
    {
        _platform = await PlatformProcess.StartAsync("--Logging:LogLevel:CallCenter.ResourceControl.Calls.FaxCalls=Information");
        _dir = Directory.CreateTempSubdirectory("fax-it-").FullName;
    }

    [OneTimeTearDown]
    public async Task StopPlatform()
    {
        await _platform.DisposeAsync();
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

        var fax = await WaitInboundAsync(f => f.GetProperty("status").GetString() != FaxStatus.Receiving);
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

    private async Task<JsonElement> WaitInboundAsync(Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            var (status, body) = await _platform.GetApiAsync("api/faxes?direction=inbound");
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            last = body;
            if (body.GetArrayLength() > 0 && done(body[0]))
            {
                return body[0];
            }

            await Task.Delay(200);
        }

        Assert.Fail($"no finished inbound fax: {last}\n{_platform.Output}");
        return last;
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
