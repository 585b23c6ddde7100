using CallCenter.FaxSms.Fax;
using CallCenter.Telephony.Codecs;
using CallCenter.TestSupport;
using Microsoft.Extensions.Logging;

namespace CallCenter.FaxSms.Tests.Fax;

/// <summary>
/// A receiving machine that refuses a page (T.30's RTN), two real spandsp sessions on a line (<see cref="FaxLine"/>):
/// nothing tells the receiver to refuse; a hiss on the line while page two is sent, without ECM, spoils so many of its
/// rows that spandsp's own copy-quality check (15 % of the rows bad) answers RTN. After the last page spandsp's sender
/// hangs up and says "OK"; the session reports the page as refused and not sent, so the outbox tries again from it.
/// After a page that is not the last, spandsp retrains one speed lower and sends it again: refused often enough it
/// comes down to V.27ter.
/// </summary>
public sealed class FaxRefusalTests
{
    // Uniform noise of this peak, times the signal's RMS, from the moment page one was confirmed (about 14 dB SNR).
    private const double Hiss = 0.35;
    private string _dir = "";

    [SetUp]
    public void CreateDirectory()
    {
        _dir = Path.Combine(Path.GetTempPath(), "fax-refusal-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void ALastPageTheReceiverRefusesIsReportedNotSentAndARetrySendsOnlyThatPage()
    {
        var received = Path.Combine(_dir, "received.tif");
        var log = new ListLogger(LogLevel.Warning);
        var tiff = TestDocuments.TwoPageTiff(_dir);
        using var sender = new FaxSession(new FaxSessionOptions { Calling = true, SendFile = tiff, Ecm = false, Name = "refused" }, log);
        using var receiver = new FaxSession(new FaxSessionOptions { Calling = false, ReceiveFile = received, Ecm = false });
        var (sent, got, took) = FaxLine.Connect(sender, receiver, G711Law.MuLaw, TimeSpan.FromMinutes(4), noise: (_, rms) => sender.Pages >= 1 ? (int)(rms * Hiss) : 0);

        // Frees spandsp's context, which closes the received TIFF: only then are its pages counted.
        receiver.Dispose();
        TestContext.Out.WriteLine($"{sent}\n{got}\nin {took.TotalSeconds:0.0} s");

        Assert.Multiple(() =>
        {
            Assert.That(got.Succeeded, Is.False, got.Text);
            Assert.That(got.Pages, Is.EqualTo(1));
            Assert.That(TiffPages.Count(received), Is.EqualTo(1), "the refused page is not kept by the receiver");
            Assert.That(got.BadRows, Is.Zero, "the refused page's rows are not counted as a kept page's damage");
            Assert.That(sent.Succeeded, Is.False, "spandsp says OK after hanging up on the RTN; the page never arrived");
            Assert.That(sent.Code, Is.EqualTo(FaxResult.PageRefused));
            Assert.That(sent.Text, Does.Contain("refused page 2"));
            Assert.That(sent.Pages, Is.EqualTo(1), "page one was confirmed (MCF), page two was not");
            Assert.That(sent.Rejections, Is.EqualTo(1));
            Assert.That(log.Entries.Select(e => e.Id), Does.Contain(4133), "the refusal is logged as a warning");
            Assert.That(FaxRetry.MayPass(new FaxAttempt(200, sent, sent.Summary)), Is.True, "a refused page may pass on another call");
        });

        // The outbox's retry starts after the pages confirmed: only page two goes, on a clean line.
        var again = Path.Combine(_dir, "again.tif");
        using var retry = new FaxSession(new FaxSessionOptions { Calling = true, SendFile = tiff, StartPage = sent.Pages, Ecm = false });
        using var other = new FaxSession(new FaxSessionOptions { Calling = false, ReceiveFile = again, Ecm = false });
        var (resent, gotAgain, _) = FaxLine.Connect(retry, other, G711Law.MuLaw, TimeSpan.FromMinutes(4));
        other.Dispose();
        var original = FaxPageImage.ReadAll(tiff);
        var first = FaxPageImage.ReadAll(received);
        var second = FaxPageImage.ReadAll(again);
        Assert.Multiple(() =>
        {
            Assert.That(resent.Succeeded, Is.True, resent.Text);
            Assert.That(resent.Pages, Is.EqualTo(1));
            Assert.That(gotAgain.Pages, Is.EqualTo(1));
            Assert.That(second, Has.Count.EqualTo(1), "page one was not sent twice");
            Assert.That(FaxPageImage.Compare(original[0], first[0]).Score, Is.GreaterThanOrEqualTo(FaxPageMatch.SameDocument), "the first call delivered page one");
            Assert.That(FaxPageImage.Compare(original[1], second[0]).Score, Is.GreaterThanOrEqualTo(FaxPageMatch.SameDocument), "the retry delivered page two");
        });
    }
}
