using System.Text.RegularExpressions;
using CallCenter.FaxSms.Fax;
using CallCenter.Telephony.Codecs;
using Microsoft.Extensions.Logging;

namespace CallCenter.FaxSms.Tests.Fax;

/// <summary>
/// V.17 down to V.27ter on a bad line (issue 16, item 1): two real spandsp sessions (<see cref="FaxLine"/>) with clicks on
/// the line to the receiver, impulse noise as an old analogue line has it: half a millisecond, 4 dB above the signal, every
/// 0.4 s. spandsp's receiver accepts a training check (TCF, 1.5 s of zeros) only with a second of it unbroken, and a click
/// breaks it at every rate the modems cannot ride it out at: it answers FTT, and the sender steps down spandsp's fall-back
/// list (V.17 14,400, 12,000, 9,600, V.29 9,600, V.17 7,200, V.29 7,200, V.27ter 4,800, 2,400) and trains again, until
/// V.27ter's 4,800 trains through the clicks. The pages then cross at that rate, whole, with or without ECM, and both sides
/// report it: the rate the fax's row and the call's record are given (<see cref="FaxResult.BitRate"/>).
/// </summary>
public sealed partial class FaxFallbackTests
{
    private const int ClickEveryFrames = 20;
    private const double ClickOverRms = 1.6;
    private string _dir = "";

    [SetUp]
    public void CreateDirectory()
    {
        _dir = Path.Combine(Path.GetTempPath(), "fax-fallback-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    [TestCase(true, TestName = "ALineWithClicksWalksV17DownThroughV29ToV27terAndTheFaxArrivesWithEcm")]
    [TestCase(false, TestName = "ALineWithClicksWalksV17DownThroughV29ToV27terAndTheFaxArrivesWithoutEcm")]
    public void ALineWithClicksWalksTheRateDownToV27ter(bool ecm)
    {
        var tiff = TestDocuments.TwoPageTiff(_dir);
        var received = Path.Combine(_dir, "received.tif");
        var senderLog = new ListLogger(LogLevel.Debug);
        var receiverLog = new ListLogger(LogLevel.Debug);
        using var sender = new FaxSession(new FaxSessionOptions { Calling = true, SendFile = tiff, Ecm = ecm, Name = "walk" }, senderLog);
        using var receiver = new FaxSession(new FaxSessionOptions { Calling = false, ReceiveFile = received, Ecm = ecm, Name = "walk" }, receiverLog);

        var (sent, got, took) = FaxLine.Connect(sender, receiver, G711Law.MuLaw, TimeSpan.FromMinutes(4), impair: Clicks);
        receiver.Dispose();
        TestContext.Out.WriteLine($"{sent}\n{got}\nin {took.TotalSeconds:0.0} s of line time");

        // The rates the sender offered (its DCS, as spandsp decodes it in its log), in order, each once.
        var offered = senderLog.Entries
            .Select(e => SelectedRate().Match(e.Message))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .Aggregate(new List<string>(), (list, rate) => list.Count > 0 && list[^1] == rate ? list : [.. list, rate]);
        var refusedTrainings = receiverLog.Entries.Count(e => e.Message.Contains("Tx: ", StringComparison.Ordinal) && e.Message.Contains(" FTT ", StringComparison.Ordinal));
        var original = FaxPageImage.ReadAll(tiff);
        var pages = FaxPageImage.ReadAll(received);
        Assert.Multiple(() =>
        {
            Assert.That(offered, Is.EqualTo(new[]
            {
                "V.17 14400bps", "V.17 12000bps", "V.17 9600bps", "V.29, 9600bps", "V.17 7200bps", "V.29 7200bps", "V.27ter 4800bps",
            }));
            Assert.That(refusedTrainings, Is.EqualTo(6), "the receiver answered FTT to each training but V.27ter's");
            Assert.That(sent.Succeeded, Is.True, sent.Text);
            Assert.That(got.Succeeded, Is.True, got.Text);
            Assert.That(sent.Pages, Is.EqualTo(2));
            Assert.That(got.Pages, Is.EqualTo(2));
            Assert.That(sent.BitRate, Is.EqualTo(4800), "the rate that trained, as the sender reports it");
            Assert.That(got.BitRate, Is.EqualTo(4800));
            Assert.That(sent.Ecm, Is.EqualTo(ecm));
            Assert.That(got.BadRows, Is.Zero, "V.27ter at 4,800 rides the clicks out");
            Assert.That(pages, Has.Count.EqualTo(2));
            Assert.That(FaxPageImage.Compare(original[0], pages[0]).Score, Is.GreaterThanOrEqualTo(FaxPageMatch.SameDocument));
            Assert.That(FaxPageImage.Compare(original[1], pages[1]).Score, Is.GreaterThanOrEqualTo(FaxPageMatch.SameDocument));
        });
    }

    [Test]
    public void TheSameLineWithoutClicksKeepsV17At14400()
    {
        var senderLog = new ListLogger(LogLevel.Debug);
        using var sender = new FaxSession(new FaxSessionOptions { Calling = true, SendFile = TestDocuments.TwoPageTiff(_dir), Name = "clean" }, senderLog);
        using var receiver = new FaxSession(new FaxSessionOptions { Calling = false, ReceiveFile = Path.Combine(_dir, "r.tif") });

        var (sent, _, _) = FaxLine.Connect(sender, receiver, G711Law.MuLaw, TimeSpan.FromMinutes(2));

        Assert.Multiple(() =>
        {
            Assert.That(sent.Succeeded, Is.True, sent.Text);
            Assert.That(sent.BitRate, Is.EqualTo(14400));
            Assert.That(senderLog.Entries.Select(e => SelectedRate().Match(e.Message)).Where(m => m.Success).Select(m => m.Groups[1].Value).Distinct(), Is.EqualTo(new[] { "V.17 14400bps" }));
        });
    }

    /// <summary>A click every <see cref="ClickEveryFrames"/> frames: four samples at the frame's start, alternating ±1.6 x the frame's RMS (about 4 dB above it).</summary>
    internal static void Clicks(int frame, short[] samples)
    {
        if (frame % ClickEveryFrames != 0)
        {
            return;
        }

        var sum = 0.0;
        foreach (var sample in samples)
        {
            sum += (double)sample * sample;
        }

        var click = ClickOverRms * Math.Sqrt(sum / samples.Length);
        for (var i = 0; i < 4; i++)
        {
            samples[i] = (short)Math.Clamp(samples[i] + (i % 2 == 0 ? click : -click), short.MinValue, short.MaxValue);
        }
    }

    [GeneratedRegex(@"Selected data signalling rate: (.+)$")]
    private static partial Regex SelectedRate();
}
