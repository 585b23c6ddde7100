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
    public void APageRefusedBeforeTheLastIsSentAgainOneSpeedLowerEachTime()
    {
        // The hiss rides on page one while it is sent (from the receiver's CFR, so training is clean, until its RTN): refused
        // at 14,400 and at 12,000, each time spandsp's sender steps down its fall-back list, trains again and resends page one.
        var received = Path.Combine(_dir, "received.tif");
        var senderLog = new ListLogger(LogLevel.Warning);
        var receiverLog = new FrameCounter();
        using var sender = new FaxSession(new FaxSessionOptions { Calling = true, SendFile = TestDocuments.TwoPageTiff(_dir), Ecm = false, Name = "walk" }, senderLog);
        using var receiver = new FaxSession(new FaxSessionOptions { Calling = false, ReceiveFile = received, Ecm = false, Name = "walk" }, receiverLog);

        var (sent, got, took) = FaxLine.Connect(sender, receiver, G711Law.MuLaw, TimeSpan.FromMinutes(6), noise: (_, rms) =>
            sender.Pages == 0 && receiverLog.Rtn < 2 && receiverLog.Cfr > receiverLog.Rtn ? (int)(rms * Hiss) : 0);
        receiver.Dispose();
        TestContext.Out.WriteLine($"{sent}\n{got}\nin {took.TotalSeconds:0.0} s");

        Assert.Multiple(() =>
        {
            Assert.That(sent.Succeeded, Is.True, sent.Text);
            Assert.That(sent.Pages, Is.EqualTo(2));
            Assert.That(sent.Rejections, Is.EqualTo(2));
            Assert.That(sent.BitRate, Is.EqualTo(9600), "two steps down from 14,400");
            Assert.That(got.Rejections, Is.EqualTo(2), "the receiver refused the page twice by its own copy-quality check");
            Assert.That(TiffPages.Count(received), Is.EqualTo(2), "the refused copies are not kept");
            Assert.That(senderLog.Entries.Where(e => e.Id == 4133).Select(e => e.Message), Is.EqualTo(new[]
            {
                "Fax walk: the receiving machine refused page 1 (RTN) at 14400 bit/s",
                "Fax walk: the receiving machine refused page 1 (RTN) at 12000 bit/s",
            }));
        });
    }

    /// <summary>Counts the T.30 frames a session sends (its Debug log): CFR (training confirmed) and RTN (page refused).</summary>
    private sealed class FrameCounter : ILogger
    {
        public int Cfr { get; private set; }

        public int Rtn { get; private set; }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            if (message.Contains("Tx: ", StringComparison.Ordinal))
            {
                Cfr += message.Contains(" CFR ", StringComparison.Ordinal) ? 1 : 0;
                Rtn += message.Contains(" RTN ", StringComparison.Ordinal) ? 1 : 0;
            }
        }
    }

    [Test]
    public void ALastPageTheReceiverRefusesIsReportedNotSentAndARetrySendsOnlyThatPage()
    {
        var received = Path.Combine(_dir, "received.tif");
        var log = new ListLogger(LogLevel.Warning);
        var tiff = TestDocuments.TwoPageTiff(_dir);
        using var sender = new FaxSession(new FaxSessionOptions { Calling = true, SendFile = tiff, Ecm = false, Name = "refused" }, log);
        // The hiss starts once the receiver's modem has trained for page two: on the training itself it could fail the page's
        // training instead, and spandsp 0.0.6 would then confirm a page it never received (see T30Log).
        var receiverLog = new T30Log();
        using var receiver = new FaxSession(new FaxSessionOptions { Calling = false, ReceiveFile = received, Ecm = false }, receiverLog);
        var (sent, got, took) = FaxLine.Connect(sender, receiver, G711Law.MuLaw, TimeSpan.FromMinutes(4), noise: (_, rms) => receiverLog.NextPageUnderWay ? (int)(rms * Hiss) : 0);

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
