using System.Net;
using System.Net.Sockets;
using CallCenter.Telephony.Codecs;
using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.WebRtc;
using CallCenter.TestSupport;

namespace CallCenter.Telephony.Tests.WebRtc;

/// <summary>
/// A browser's session on real loopback sockets: ICE-lite answers the browser's check, DTLS-SRTP runs
/// on the media port, then audio goes both ways as SRTP and nothing plain ever does; a handshake that
/// never comes and SRTP that keeps failing end the media (the call then ends that leg), while junk
/// from another address does not.
/// </summary>
public sealed class RtpSessionWebRtcTests
{

    private static readonly RtpMediaFormat _pcma = new(8, G711Law.ALaw, null);

    private static RtpSession Open(RtpCounters totals, DtlsIdentity identity, TimeProvider? time = null)
    {
        var first = FreePorts.InProcessBlock(10); // free now, not a fixed range (other test processes run beside)
        var ports = new RtpPortAllocator(new RtpOptions { PortMin = first, PortMax = first + 9 });
        return RtpSession.OpenWebRtc(ports, IPAddress.Loopback, _pcma, totals, time ?? TimeProvider.System, identity)!;
    }

    /// <summary>The system's clock and timers, with a clock a test can move forward.</summary>
    private sealed class SteppedTime : TimeProvider
    {
        private long _ahead;

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ahead, (long)(by.TotalSeconds * TimestampFrequency));

        public override long GetTimestamp() => System.GetTimestamp() + Interlocked.Read(ref _ahead);
    }

    private static WebRtcAnswer AnswerOf(LoopbackBrowser browser) =>
        WebRtcAnswer.TryRead(browser.Answer(8), out var refusal) ?? throw new AssertionException(refusal!);

    private static IPEndPoint PortOf(RtpSession session) => new(IPAddress.Loopback, session.LocalPort);

    private static async Task WaitUntilAsync(Func<bool> condition, int seconds = 5)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
    }

    [Test]
    public async Task TheBrowserChecksHandshakesAndThenAudioGoesBothWaysAsSrtp()
    {
        var identity = DtlsIdentity.Create(TimeProvider.System);
        var totals = new RtpCounters();
        await using var session = Open(totals, identity);
        using var browser = new LoopbackBrowser();
        var ice = session.WebRtc!.Ice.Local;

        // Before the answer and the keys: the clock's frames go nowhere, plain or otherwise.
        session.OnTick(1);
        session.StartWebRtc(AnswerOf(browser), TimeSpan.FromSeconds(10));
        await browser.ConnectAsync(PortOf(session), ice.Ufrag, ice.Password);
        await WaitUntilAsync(() => session.DtlsKeyed);

        browser.SendAudio(8, Enumerable.Repeat((byte)0x55, 160).ToArray());
        await WaitUntilAsync(() => session.PacketsReceived == 1);
        session.OnTick(2);
        await WaitUntilAsync(() => browser.Audio.Count == 1);

        Assert.That(session.DtlsKeyed, Is.True);
        Assert.That(browser.ServerFingerprint, Is.EqualTo(identity.Fingerprint), "the certificate our SDP names");
        Assert.That(session.Remote, Is.EqualTo(browser.LocalEndPoint), "media goes where the ICE check came from");
        Assert.That(session.PacketsReceived, Is.EqualTo(1));
        Assert.That(session.SrtpPacketsRefused, Is.Zero);
        Assert.That(browser.Refused, Is.Zero, "nothing plain reached the browser after the keys");
        Assert.That(browser.BeforeKeys, Is.Zero, "nothing reached the browser before the keys");
        Assert.That(browser.Audio, Has.Count.EqualTo(1));
        Assert.That(browser.Audio[0], Is.All.EqualTo(0xD5), "A-law silence, decrypted with the DTLS server's key");
        Assert.That(totals.WebRtcSessions, Is.EqualTo(1));
        Assert.That(totals.DtlsHandshakesCompleted, Is.EqualTo(1));
        Assert.That(session.MediaFailure.IsCompleted, Is.False);
    }

    [Test]
    public async Task PlainRtpAndAForeignSendersMediaAreNeverHeard()
    {
        await using var session = Open(new RtpCounters(), DtlsIdentity.Create(TimeProvider.System));
        using var browser = new LoopbackBrowser();
        using var stranger = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        stranger.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var ice = session.WebRtc!.Ice.Local;
        session.StartWebRtc(AnswerOf(browser), TimeSpan.FromSeconds(10));

        // A LAN peer who saw the port: a check with a guessed password, plain RTP, a DTLS hello of its own.
        stranger.SendTo(LoopbackBrowser.Check($"{ice.Ufrag}:{browser.Ufrag}", "guessed-password-of-24-ch", useCandidate: true), PortOf(session));
        var plain = new byte[172];
        RtpPacket.Write(plain, 8, false, 1, 160, 0x0101_0101, new byte[160]);
        stranger.SendTo(plain, PortOf(session));
        await browser.ConnectAsync(PortOf(session), ice.Ufrag, ice.Password);
        await WaitUntilAsync(() => session.DtlsKeyed);
        stranger.SendTo(plain, PortOf(session));
        browser.SendRaw(plain);
        await WaitUntilAsync(() => session.SrtpPacketsRefused >= 3);

        Assert.That(session.PacketsReceived, Is.Zero);
        Assert.That(session.SrtpPacketsRefused, Is.EqualTo(3), "plain RTP from anyone, even the browser's address");
        Assert.That(session.WebRtc.Ice.ChecksRefused, Is.EqualTo(1));
        Assert.That(session.Remote, Is.EqualTo(browser.LocalEndPoint));
    }

    [Test]
    public async Task AHandshakeThatNeverComesFailsTheMediaAtItsTimeLimit()
    {
        var totals = new RtpCounters();
        await using var session = Open(totals, DtlsIdentity.Create(TimeProvider.System));
        using var browser = new LoopbackBrowser();
        var ice = session.WebRtc!.Ice.Local;
        session.StartWebRtc(AnswerOf(browser), TimeSpan.FromSeconds(1));

        await browser.ConnectAsync(PortOf(session), ice.Ufrag, ice.Password, handshake: false);
        var failure = await session.MediaFailure.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.That(failure, Does.Contain("did not finish"));
        Assert.That(totals.DtlsHandshakesFailed, Is.EqualTo(1));
        Assert.That(session.DtlsKeyed, Is.False);
    }

    [Test]
    public async Task SrtpFromTheBrowserThatKeepsFailingEndsTheMediaButJunkFromElsewhereDoesNot()
    {
        var totals = new RtpCounters();
        var time = new SteppedTime();
        await using var session = Open(totals, DtlsIdentity.Create(TimeProvider.System), time);
        using var browser = new LoopbackBrowser();
        using var stranger = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        stranger.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var ice = session.WebRtc!.Ice.Local;
        session.StartWebRtc(AnswerOf(browser), TimeSpan.FromSeconds(10));
        await browser.ConnectAsync(PortOf(session), ice.Ufrag, ice.Password);
        await WaitUntilAsync(() => session.DtlsKeyed);

        var forged = new byte[182];
        RtpPacket.Write(forged, 8, false, 7, 160, 0x0B0B_0B0B, new byte[160]);
        forged[^1] = 0x5A; // a tag nobody computed
        for (var i = 0; i < RtpSession.RefusedInARowLimit + 20; i++)
        {
            stranger.SendTo(forged, PortOf(session));
        }

        await WaitUntilAsync(() => session.SrtpPacketsRefused >= RtpSession.RefusedInARowLimit + 20);
        var afterStranger = session.MediaFailure.IsCompleted;

        // The browser's own packets: one authentic in the middle resets the count.
        for (var i = 0; i < RtpSession.RefusedInARowLimit - 1; i++)
        {
            browser.SendRaw(forged);
        }

        browser.SendAudio(8, new byte[160]);
        for (var i = 0; i < RtpSession.RefusedInARowLimit - 1; i++)
        {
            browser.SendRaw(forged);
        }

        await WaitUntilAsync(() => session.SrtpPacketsRefused >= (3 * RtpSession.RefusedInARowLimit) + 18);
        var afterReset = session.MediaFailure.IsCompleted;

        // A burst of forged packets from the browser's address right after one of its real ones
        // (an attacker who can spoof it): the count passes the limit, but an authentic packet is recent.
        for (var i = 0; i < RtpSession.RefusedInARowLimit + 50; i++)
        {
            browser.SendRaw(forged);
        }

        await WaitUntilAsync(() => session.SrtpPacketsRefused >= (4 * RtpSession.RefusedInARowLimit) + 68);
        var afterBurst = session.MediaFailure.IsCompleted;

        // The failures go on with nothing authentic for longer than AuthenticGap: the leg has failed.
        time.Advance(RtpSession.AuthenticGap + TimeSpan.FromSeconds(1));
        browser.SendRaw(forged);
        var failure = await session.MediaFailure.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.That(afterStranger, Is.False, "junk from another address never ends the browser's call");
        Assert.That(afterReset, Is.False, "an authentic packet in between resets the count");
        Assert.That(afterBurst, Is.False, "forged packets between two real ones cannot end the call");
        Assert.That(failure, Does.Contain("failed authentication"));
        Assert.That(totals.WebRtcSrtpFailures, Is.EqualTo(1));
        Assert.That(session.PacketsReceived, Is.EqualTo(1));
    }

    [Test]
    public async Task ABrowserThatGoesSilentEndsTheMediaAfterTheConsentTimeoutButNotWhileItStillChecks()
    {
        var totals = new RtpCounters();
        var time = new SteppedTime();
        await using var session = Open(totals, DtlsIdentity.Create(TimeProvider.System), time);
        using var browser = new LoopbackBrowser();
        var ice = session.WebRtc!.Ice.Local;
        session.StartWebRtc(AnswerOf(browser), TimeSpan.FromSeconds(10));
        await browser.ConnectAsync(PortOf(session), ice.Ufrag, ice.Password);
        await WaitUntilAsync(() => session.DtlsKeyed);

        // 20 s of nothing, then a consent check: still there. The consent timer runs every ConsentTimeout / 6.
        time.Advance(TimeSpan.FromSeconds(20));
        var answers = browser.StunAnswers;
        browser.SendRaw(LoopbackBrowser.Check($"{ice.Ufrag}:{browser.Ufrag}", ice.Password, useCandidate: false));
        await WaitUntilAsync(() => browser.StunAnswers > answers);
        var checkAnswered = browser.StunAnswers > answers;
        time.Advance(TimeSpan.FromSeconds(20));
        await Task.Delay(RtpSession.ConsentTimeout / 6 + TimeSpan.FromSeconds(1));
        var whileChecking = session.MediaFailure.IsCompleted;

        // Then the tab closes: nothing more for longer than the timeout.
        time.Advance(RtpSession.ConsentTimeout);
        var failure = await session.MediaFailure.WaitAsync(RtpSession.ConsentTimeout / 6 + TimeSpan.FromSeconds(3));

        Assert.That(checkAnswered, Is.True, "the consent check was answered");
        Assert.That(whileChecking, Is.False, "a consent check 20 s ago keeps the leg");
        Assert.That(failure, Does.Contain("nothing from the browser"));
    }
}
