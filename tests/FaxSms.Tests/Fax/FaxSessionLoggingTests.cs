using CallCenter.FaxSms.Fax;
using CallCenter.Telephony.Codecs;
using Microsoft.Extensions.Logging;

namespace CallCenter.FaxSms.Tests.Fax;

/// <summary>
/// T.30's protocol chatter (spandsp's log lines: frames, phases, modems) is logged at Debug, never at
/// Information: an operator running at Information sees one line per fax (how it ended), not hundreds.
/// </summary>
public sealed class FaxSessionLoggingTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory()
    {
        _dir = Path.Combine(Path.GetTempPath(), "fax-logging-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void T30ChatterIsLoggedAtDebugAndOnlyTheEndingAtInformation()
    {
        var atDebug = new ListLogger(LogLevel.Debug);
        var atInformation = new ListLogger(LogLevel.Information);

        Fax(atDebug);
        Fax(atInformation);

        var chatter = atDebug.Entries.Where(e => e.Id == 6100).ToList();
        Assert.Multiple(() =>
        {
            // At Debug: spandsp's T.30 lines, the frames of the handshake among them, each at Debug.
            Assert.That(chatter, Has.Count.GreaterThan(20), string.Join("\n", atDebug.Entries.Take(20)));
            Assert.That(chatter.Select(e => e.Level), Is.All.EqualTo(LogLevel.Debug));
            Assert.That(chatter.Select(e => e.Message), Has.Some.Contain("DIS").And.Some.Contain("DCS").And.Some.Contain("MCF"));
            Assert.That(atDebug.Entries.Where(e => e.Level >= LogLevel.Information).Select(e => e.Id), Is.All.EqualTo(6101), "only the ending above Debug");

            // At Information: one line for the fax, how it ended; none of the chatter.
            Assert.That(atInformation.Entries.Select(e => e.Id), Is.EqualTo(new[] { 6101 }), string.Join("\n", atInformation.Entries));
            Assert.That(atInformation.Entries.Select(e => e.Message), Has.None.Contain("DCS"));
        });
    }

    private void Fax(ILogger logger)
    {
        var received = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".tif");
        using var sender = new FaxSession(new FaxSessionOptions { Calling = true, SendFile = TestDocuments.TwoPageTiff(_dir) });
        using var receiver = new FaxSession(new FaxSessionOptions { Calling = false, ReceiveFile = received, Name = "logged" }, logger);
        var (_, got, _) = FaxLine.Connect(sender, receiver, G711Law.MuLaw, TimeSpan.FromMinutes(3));
        Assert.That(got.Succeeded, Is.True, got.Text);
    }
}
