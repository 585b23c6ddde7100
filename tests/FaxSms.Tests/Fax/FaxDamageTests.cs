using CallCenter.FaxSms.Fax;
using CallCenter.Telephony.Codecs;
using Microsoft.Extensions.Logging;

namespace CallCenter.FaxSms.Tests.Fax;

/// <summary>
/// Two real spandsp sessions (<see cref="FaxLine"/>) with the line damaged between them: a burst of
/// loud noise in the middle of page two, or a hiss riding on the signal all along (seeded, so each run
/// is the same). What T.30 makes of it is reported, and no page that arrived whole is lost.
/// </summary>
public sealed class FaxDamageTests
{
    // Frames (20 ms) after the sender counted page one: 1 s into page two.
    private const int IntoPageTwo = 50;
    private const int Loud = 12000;
    private string _dir = "";

    [SetUp]
    public void CreateDirectory()
    {
        _dir = Path.Combine(Path.GetTempPath(), "fax-damage-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void ANoiseBurstMidPageWithoutEcmIsReportedAsDamagedRowsAndBothPagesAreKept()
    {
        var (sent, got, received) = Burst(ecm: false, frames: 100);

        Assert.Multiple(() =>
        {
            Assert.That(got.Succeeded, Is.True, got.Text);
            Assert.That(got.Pages, Is.EqualTo(2));
            Assert.That(TiffPages.Count(received), Is.EqualTo(2), "the damaged page is kept, not dropped");
            Assert.That(got.BadRows, Is.GreaterThan(0), "spandsp's T.4 decoder counted the rows the burst spoiled");
            Assert.That(got.Summary, Does.Contain($"{got.BadRows} damaged pixel rows"));
            Assert.That(sent.BadRows, Is.Zero, "the sender has nothing to report");
        });
    }

    [Test]
    public void WithEcmTheSameBurstIsSentAgainAndNoRowIsDamaged()
    {
        var (_, got, received) = Burst(ecm: true, frames: 100);

        Assert.Multiple(() =>
        {
            Assert.That(got.Succeeded, Is.True, got.Text);
            Assert.That(TiffPages.Count(received), Is.EqualTo(2));
            Assert.That(got.BadRows, Is.Zero);
            Assert.That(got.Summary, Is.EqualTo("OK"));
        });
    }

    [Test]
    public void ALineThatDiesMidPageEndsTheFaxWithT30sReasonAndKeepsThePageBefore()
    {
        var (sent, got, received) = Burst(ecm: false, frames: 1000);

        Assert.Multiple(() =>
        {
            Assert.That(got.Succeeded, Is.False);
            Assert.That(got.Code, Is.Not.EqualTo(FaxResult.Ok));
            Assert.That(got.Text, Is.Not.Empty.And.Not.EqualTo("OK"));
            Assert.That(got.Pages, Is.EqualTo(1));
            Assert.That(TiffPages.Count(received), Is.EqualTo(1), "page one, received before the line died, is kept");
            Assert.That(sent.Succeeded, Is.False);
            Assert.That(sent.Pages, Is.EqualTo(1), "the sender knows page one was confirmed, so a retry starts at page two");
        });
    }

    // Uniform noise of peak 0.1 x the signal's RMS is about 25 dB below it; 0.2 about 19 dB, which V.17 at
    // 14,400 bit/s does not train through but V.29 at 9,600 does (the receiver answers FTT, the sender steps down).
    [TestCase(0.1, 14400, TestName = "AHissOf25DbSnrKeepsV17At14400")]
    [TestCase(0.2, 9600, TestName = "AHissOf19DbSnrFailsTrainingAt14400AndFallsBackTo9600")]
    public void AHissOnTheLineChoosesTheRateThatTrains(double hiss, int rate)
    {
        var received = Path.Combine(_dir, "received.tif");
        var log = new ListLogger(LogLevel.Debug);
        using var sender = new FaxSession(new FaxSessionOptions { Calling = true, SendFile = TestDocuments.TwoPageTiff(_dir) });
        using var receiver = new FaxSession(new FaxSessionOptions { Calling = false, ReceiveFile = received, Name = "hiss" }, log);

        var (sent, got, took) = FaxLine.Connect(sender, receiver, G711Law.MuLaw, TimeSpan.FromMinutes(4), noise: (_, rms) => (int)(rms * hiss));
        receiver.Dispose();
        TestContext.Out.WriteLine($"{sent}\n{got}\nin {took.TotalSeconds:0.0} s");

        var failedTraining = log.Entries.Any(e => e.Message.Contains("Tx: ") && e.Message.Contains("FTT"));
        Assert.Multiple(() =>
        {
            Assert.That(got.Succeeded, Is.True, got.Text);
            Assert.That(TiffPages.Count(received), Is.EqualTo(2));
            Assert.That(sent.BitRate, Is.EqualTo(rate));
            Assert.That(got.BitRate, Is.EqualTo(rate));
            Assert.That(failedTraining, Is.EqualTo(rate < 14400), "the receiver said FTT (failure to train) only when the rate fell");
        });
    }

    private (FaxResult Sent, FaxResult Got, string Received) Burst(bool ecm, int frames)
    {
        var received = Path.Combine(_dir, "received.tif");
        using var sender = new FaxSession(new FaxSessionOptions { Calling = true, SendFile = TestDocuments.TwoPageTiff(_dir), Ecm = ecm });
        using var receiver = new FaxSession(new FaxSessionOptions { Calling = false, ReceiveFile = received, Ecm = ecm });
        int? pageTwo = null;
        var (sent, got, took) = FaxLine.Connect(sender, receiver, G711Law.MuLaw, TimeSpan.FromMinutes(4), noise: (frame, _) =>
        {
            pageTwo ??= sender.Pages >= 1 ? frame : null;
            return pageTwo is { } start && frame >= start + IntoPageTwo && frame < start + IntoPageTwo + frames ? Loud : 0;
        });

        // Frees spandsp's context, which closes the received TIFF: only then are its pages counted.
        receiver.Dispose();
        TestContext.Out.WriteLine($"{sent}\n{got}\nin {took.TotalSeconds:0.0} s, noise from frame {pageTwo}");
        return (sent, got, received);
    }
}
