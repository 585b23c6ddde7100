using CallCenter.FaxSms.Fax;
using CallCenter.Telephony.Codecs;

namespace CallCenter.FaxSms.Tests.Fax;

/// <summary>spandsp's T.30 through the session shell: two sessions in memory, joined through G.711.</summary>
public sealed class FaxSessionTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory()
    {
        _dir = Path.Combine(Path.GetTempPath(), "fax-session-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    [TestCase(true, TestName = "TwoPagesCrossMuLawWithEcm")]
    [TestCase(false, TestName = "TwoPagesCrossMuLawWithoutEcm")]
    public void TwoPagesCrossMuLaw(bool ecm)
    {
        var send = TestDocuments.TwoPageTiff(_dir);
        var received = Path.Combine(_dir, "received.tif");
        using var sender = new FaxSession(new FaxSessionOptions { Calling = true, SendFile = send, Ident = "95580", Ecm = ecm });
        using var receiver = new FaxSession(new FaxSessionOptions { Calling = false, ReceiveFile = received, Ident = "13800000001", Ecm = ecm });

        var (sent, got, took) = FaxLine.Connect(sender, receiver, G711Law.MuLaw, TimeSpan.FromMinutes(3));
        receiver.Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(sent.Succeeded, Is.True, sent.Text);
            Assert.That(got.Succeeded, Is.True, got.Text);
            Assert.That(sent.Pages, Is.EqualTo(2));
            Assert.That(got.Pages, Is.EqualTo(2));
            Assert.That(got.Ecm, Is.EqualTo(ecm));
            Assert.That(got.BitRate, Is.EqualTo(14400), "V.17 at full rate over a clean G.711 line");
            Assert.That(got.BadRows, Is.Zero, "no row damaged on a clean line");
            Assert.That(TiffPages.Count(received), Is.EqualTo(2));
        });
        TestContext.Out.WriteLine($"two pages in {took.TotalSeconds:0.0} s of line time");
    }

    [Test]
    public void ARetrySendsOnlyThePagesAfterThoseAlreadySent()
    {
        var send = TestDocuments.TwoPageTiff(_dir);
        var received = Path.Combine(_dir, "rest.tif");
        using var sender = new FaxSession(new FaxSessionOptions { Calling = true, SendFile = send, StartPage = 1 });
        using var receiver = new FaxSession(new FaxSessionOptions { Calling = false, ReceiveFile = received });

        var (sent, got, _) = FaxLine.Connect(sender, receiver, G711Law.MuLaw, TimeSpan.FromMinutes(2));
        receiver.Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(sent.Succeeded, Is.True, sent.Text);
            Assert.That(sent.Pages, Is.EqualTo(1));
            Assert.That(TiffPages.Count(received), Is.EqualTo(1));
        });
    }

    [Test]
    public void OnlyV27terOfferedFallsBackTo4800()
    {
        var send = TestDocuments.TwoPageTiff(_dir);
        using var sender = new FaxSession(new FaxSessionOptions { Calling = true, SendFile = send });
        using var receiver = new FaxSession(new FaxSessionOptions { Calling = false, ReceiveFile = Path.Combine(_dir, "r.tif"), Modems = FaxModems.V27ter });

        var (sent, got, took) = FaxLine.Connect(sender, receiver, G711Law.ALaw, TimeSpan.FromMinutes(4));
        TestContext.Out.WriteLine($"{sent} {got} in {took.TotalSeconds:0.0} s");

        Assert.Multiple(() =>
        {
            Assert.That(got.Succeeded, Is.True, got.Text);
            Assert.That(got.Pages, Is.EqualTo(2));
            Assert.That(sent.BitRate, Is.EqualTo(4800));
        });
    }

    [Test]
    public void ACallerThatIsNotAFaxMachineEndsTheReceiverWithAReasonNotAHang()
    {
        using var receiver = new FaxSession(new FaxSessionOptions { Calling = false, ReceiveFile = Path.Combine(_dir, "r.tif") });
        var send = new short[FaxSession.FrameSamples];
        var silence = new short[FaxSession.FrameSamples];
        var frames = 0;

        // A person, or nobody: silence for up to two minutes of line time.
        for (; frames < 6000 && !receiver.Completed; frames++)
        {
            receiver.Process(silence, send);
        }

        Assert.Multiple(() =>
        {
            Assert.That(receiver.Completed, Is.True, "T.30's own timers end it");
            Assert.That(receiver.Result!.Succeeded, Is.False);
            Assert.That(receiver.Result.Pages, Is.Zero);
            Assert.That(receiver.Result.Text, Is.EqualTo("Disconnected after permitted retries"), "DIS sent three times, unanswered");
            Assert.That(frames * 20, Is.LessThan(60_000), "within T1 (35 s) and a little");
        });
        TestContext.Out.WriteLine($"{receiver.Result} after {frames * 20 / 1000.0:0.0} s");
    }

    [Test]
    public void AMissingFileIsRefusedBeforeTheCall()
    {
        var missing = Path.Combine(_dir, "nothing.tif");

        var error = Assert.Throws<FaxDocumentException>(() => new FaxSession(new FaxSessionOptions { Calling = true, SendFile = missing }));

        Assert.That(error!.Message, Does.Contain("does not exist"));
    }

    [Test]
    public void AFileThatIsNotATiffIsRefusedBeforeTheCall()
    {
        var path = Path.Combine(_dir, "letter.tif");
        File.WriteAllText(path, "%PDF-1.4 not a tiff at all");

        var error = Assert.Throws<FaxDocumentException>(() => new FaxSession(new FaxSessionOptions { Calling = true, SendFile = path }));

        Assert.That(error!.Message, Does.Contain("not a TIFF"));
    }

    [Test]
    public void ABrokenTiffEndsTheFaxWithSpandspsReason()
    {
        var path = Path.Combine(_dir, "broken.tif");
        var good = File.ReadAllBytes(TestDocuments.TwoPageTiff(_dir));
        File.WriteAllBytes(path, good.AsSpan(0, 16).ToArray());
        using var sender = new FaxSession(new FaxSessionOptions { Calling = true, SendFile = path });
        using var receiver = new FaxSession(new FaxSessionOptions { Calling = false, ReceiveFile = Path.Combine(_dir, "r.tif") });

        var (sent, got, took) = FaxLine.Connect(sender, receiver, G711Law.MuLaw, TimeSpan.FromMinutes(2));
        TestContext.Out.WriteLine($"{sent} {got} in {took.TotalSeconds:0.0} s");

        Assert.Multiple(() =>
        {
            Assert.That(sent.Succeeded, Is.False);
            Assert.That(sent.Text, Does.Contain("TIFF/F file cannot be opened"));
            Assert.That(got.Succeeded, Is.False);
            Assert.That(got.Pages, Is.Zero);
            Assert.That(took, Is.LessThan(TimeSpan.FromMinutes(2)), "ended, not hung");
        });
    }

    [Test]
    public void AHangUpMidPageKeepsTheWholePagesAndARetryFromTheFirstUnconfirmedPageSendsTheRest()
    {
        var send = TestDocuments.Tiff(_dir, "three-pages", FaxTestPostScript.Document(
            FaxTestPostScript.Light("Fax test page one"),
            FaxTestPostScript.Dense("Page two", 15, seed: 2),
            FaxTestPostScript.Dense("Page three", 15, seed: 3)));
        var cutFile = Path.Combine(_dir, "cut.tif");
        using var sender = new FaxSession(new FaxSessionOptions { Calling = true, SendFile = send });
        using var receiver = new FaxSession(new FaxSessionOptions { Calling = false, ReceiveFile = cutFile });

        // Cut 5 s of line time after the first page was taken whole: inside the second, a dense page
        // that takes about three times as long at 14,400 bit/s.
        var framesAfterPageOne = 0;
        var (sent, got, took) = FaxLine.Connect(sender, receiver, G711Law.MuLaw, TimeSpan.FromMinutes(3),
            cut: () => receiver.Pages >= 1 && ++framesAfterPageOne > 250);
        receiver.Dispose();
        TestContext.Out.WriteLine($"{sent} {got} in {took.TotalSeconds:0.0} s");

        var original = FaxPageImage.ReadAll(send);
        var kept = FaxPageImage.ReadAll(cutFile);
        Assert.Multiple(() =>
        {
            Assert.That(sent.Succeeded, Is.False);
            Assert.That(got.Succeeded, Is.False);
            Assert.That(sent.Text, Does.Contain("dropped"));
            Assert.That(got.Text, Does.Contain("dropped"));
            Assert.That(sent.Pages, Is.EqualTo(1), "the first page was confirmed, the second not");
            Assert.That(got.Pages, Is.EqualTo(1));
            Assert.That(kept, Has.Count.EqualTo(1), "the whole page is kept, the one cut short is not written");
            Assert.That(FaxPageImage.Compare(original[0], kept[0]).Score, Is.GreaterThanOrEqualTo(FaxPageMatch.SameDocument));
        });

        // The retry starts at the first page not confirmed, as FaxRetry and the worker ask.
        var restFile = Path.Combine(_dir, "rest.tif");
        using var again = new FaxSession(new FaxSessionOptions { Calling = true, SendFile = send, StartPage = sent.Pages });
        using var receiverAgain = new FaxSession(new FaxSessionOptions { Calling = false, ReceiveFile = restFile });
        var (resent, gotRest, tookRest) = FaxLine.Connect(again, receiverAgain, G711Law.MuLaw, TimeSpan.FromMinutes(3));
        receiverAgain.Dispose();
        TestContext.Out.WriteLine($"the retry: {resent} in {tookRest.TotalSeconds:0.0} s");

        var rest = FaxPageImage.ReadAll(restFile);
        Assert.Multiple(() =>
        {
            Assert.That(resent.Succeeded, Is.True, resent.Text);
            Assert.That(gotRest.Pages, Is.EqualTo(2));
            Assert.That(rest, Has.Count.EqualTo(2));
            Assert.That(FaxPageImage.Compare(original[1], rest[0]).Score, Is.GreaterThanOrEqualTo(FaxPageMatch.SameDocument), "page two first");
            Assert.That(FaxPageImage.Compare(original[2], rest[1]).Score, Is.GreaterThanOrEqualTo(FaxPageMatch.SameDocument));
            Assert.That(FaxPageImage.Compare(original[0], rest[0]).Score, Is.LessThan(0.5), "page one was not sent again");
        });
    }
}
