using System.Diagnostics;
using System.Net;
using CallCenter.Data;
using CallCenter.Data.Calls;
using CallCenter.FaxSms.Fax;
using CallCenter.ResourceControl.Calls;
using CallCenter.Telephony;
using CallCenter.Telephony.Codecs;
using CallCenter.Telephony.Media;
using CallCenter.Telephony.Rtp;
using CallCenter.Telephony.Transport;
using CallCenter.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallCenter.ResourceControl.Tests.Calls;

/// <summary>
/// The platform's own fax sender on a bad line, and the rate in the call's record (issue 16, item 1): an outbound fax
/// call's media as the platform builds it (<see cref="FaxCalls.StartSending"/>: the <see cref="FaxTerminal"/> the media
/// clock drives, reading the leg's received audio and writing what its player sends), ticked here as the clock would, 20 ms
/// at a time but without waiting. The far end is a real spandsp receiver; between them the leg's G.711 frames get clicks
/// (half a millisecond, 2.5 times the signal's RMS, every 0.4 s). The receiver refuses the trainings the clicks break (FTT),
/// the platform's sender steps V.17 down through V.29 to V.27ter, and the fax goes through at 4,800: the rate the attempt
/// returns (the outbox row's <c>bit_rate</c>) and the one in the call's record, as the call's end (<see cref="FaxCalls.End"/>)
/// and <see cref="CallRecordBuilder"/> make them. (Softer clicks, 1.8 or 2 times the RMS, let V.17 train at 7,200 and then
/// spoil the ECM frames until spandsp gives up on the page, "Disconnected after permitted retries": a failed attempt,
/// retried by the outbox; the record then says 7,200 and one page.)
/// </summary>
public sealed class FaxCallFallbackTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("fax-call-fallback-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    [TestCase(2.5, 4800, TestName = "ThePlatformsFaxCallFallsBackToV27terOnALineWithClicksAndItsRecordSays4800")]
    [TestCase(0.0, 14400, TestName = "ThePlatformsFaxCallOnACleanLineStaysAtV17AndItsRecordSays14400")]
    public async Task TheRateThatTrainedIsTheRecordsRate(double clicks, int rate)
    {
        var tiff = TwoPageTiff();
        var first = FreePorts.InProcessBlock(10); // free now, not a fixed range (other test processes run beside)
        var ports = new RtpPortAllocator(new RtpOptions { PortMin = first, PortMax = first + 9 });
        await using var media = RtpSession.Open(ports, IPAddress.Loopback, new IPEndPoint(IPAddress.Loopback, 9), new RtpMediaFormat(0, G711Law.MuLaw, null), new RtpCounters(), TimeProvider.System)!;
        var options = new FaxOptions { Directory = _dir };
        await using var clock = new MediaClock();
        var inbox = new FaxInbox(new FaxRepository(new DbConnectionFactory(new DatabaseOptions())), options, new FaxSms.Outbox.OutboxSignal(), TimeProvider.System, NullLogger<FaxInbox>.Instance);
        var faxes = new FaxCalls(options, inbox, clock, new BackgroundSends(NullLogger<BackgroundSends>.Instance), NullLogger<FaxCalls>.Instance);
        var call = new ActiveCall("c-fax", null, "sip-c-fax", "95580", "fax", media, new SipRemote(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5060)), DateTimeOffset.UtcNow)
        {
            Kind = faxes.Kind,
            Direction = CallDirections.Outbound,
        };
        var sent = new TaskCompletionSource<FaxResult>();
        FaxResult? ended = null;
        faxes.StartSending(call, "fax-test", tiff, 0, sent, e => ended ??= (e as CallEvent.FaxEnded)?.Result);
        var received = Path.Combine(_dir, "received.tif");
        using var farEnd = new FaxSession(new FaxSessionOptions { Calling = false, ReceiveFile = received, Name = "far-end" });

        var wire = new byte[FaxSession.FrameSamples];
        var heard = new short[FaxSession.FrameSamples];
        var answer = new short[FaxSession.FrameSamples];
        var tick = 0;
        for (; tick < 4 * 60 * 50 && (ended is null || !farEnd.Completed); tick++)
        {
            // The clock's tick: the terminal takes what the leg received and gives its player the next frame, which RTP sends.
            call.Fax!.Terminal.OnTick(tick);
            call.Media.Player.NextFrame(wire, G711Law.MuLaw);
            G711.Decode(wire, heard, G711Law.MuLaw);
            if (clicks > 0 && tick % 20 == 0)
            {
                Click(heard, clicks);
            }

            farEnd.Process(heard, answer);
            G711.Encode(answer, wire, G711Law.MuLaw);

            // What RTP would write on the leg's receive side.
            call.Media.Forward!.Write(wire, G711Law.MuLaw);
        }

        // As the call's loop does on FaxEnded: the result kept, then the call's end ends the fax (SipEndpoint.FaxEnding).
        Assert.That(ended, Is.Not.Null, $"the platform's T.30 ended within {tick / 50} s of line time");
        call.Fax!.Resulted(ended!);
        faxes.End(call);
        var attempt = await sent.Task.WaitAsync(TimeSpan.FromSeconds(5));
        farEnd.Dispose();
        var record = CallRecordBuilder.Build(call, attempt.Succeeded ? CallDisposition.FaxSent : CallDisposition.FaxFailed, DateTimeOffset.UtcNow, null, null);
        TestContext.Out.WriteLine($"{attempt}\nrecord: {record.Fax}\nin {tick / 50.0:0.0} s of line time");

        Assert.Multiple(() =>
        {
            Assert.That(attempt.Succeeded, Is.True, attempt.Text);
            Assert.That(attempt.Pages, Is.EqualTo(2));
            Assert.That(attempt.BitRate, Is.EqualTo(rate), "the rate the attempt returns, which the worker writes to the fax's row");
            Assert.That(record.Fax, Is.Not.Null);
            Assert.That(record.Fax!.Id, Is.EqualTo("fax-test"));
            Assert.That(record.Fax.Direction, Is.EqualTo(CallDirections.Outbound));
            Assert.That(record.Fax.Succeeded, Is.True);
            Assert.That(record.Fax.Pages, Is.EqualTo(2));
            Assert.That(record.Fax.BitRate, Is.EqualTo(rate), "the call's record carries the rate that trained");
            Assert.That(record.Disposition, Is.EqualTo("fax-sent"));
            Assert.That(farEnd.Result!.BitRate, Is.EqualTo(rate), "the far end received at the same rate");
            Assert.That(FaxPageImage.ReadAll(received), Has.Count.EqualTo(2));
        });
    }

    [Test]
    public async Task ThePlatformsFaxCallWhoseLastPageAFarEndWithoutEcmRefusesEndsPageRefusedWithOnePageInItsRecord()
    {
        // The platform's sender as it is built (ECM offered, Fax:Ecm's default); the far end offers none. Once the far end's
        // modem has trained for page two (its own T.30 log) a hiss rides on what it hears, uniform noise of peak 0.35 times each
        // frame's RMS (about 14 dB below the signal): page two's rows are spoiled past spandsp's 15 %, the far end answers RTN,
        // and the platform's spandsp, the page being the last, hangs up and says "OK". The attempt and the record say the page
        // was refused. (A hiss that also rides on the training may fail it instead, and spandsp 0.0.6 then confirms the page
        // it never got: see T30Log.)
        var tiff = TwoPageTiff();
        var first = FreePorts.InProcessBlock(10);
        var ports = new RtpPortAllocator(new RtpOptions { PortMin = first, PortMax = first + 9 });
        await using var media = RtpSession.Open(ports, IPAddress.Loopback, new IPEndPoint(IPAddress.Loopback, 9), new RtpMediaFormat(0, G711Law.MuLaw, null), new RtpCounters(), TimeProvider.System)!;
        var options = new FaxOptions { Directory = _dir };
        await using var clock = new MediaClock();
        var inbox = new FaxInbox(new FaxRepository(new DbConnectionFactory(new DatabaseOptions())), options, new FaxSms.Outbox.OutboxSignal(), TimeProvider.System, NullLogger<FaxInbox>.Instance);
        var faxes = new FaxCalls(options, inbox, clock, new BackgroundSends(NullLogger<BackgroundSends>.Instance), NullLogger<FaxCalls>.Instance);
        var call = new ActiveCall("c-fax", null, "sip-c-fax", "95580", "fax", media, new SipRemote(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5060)), DateTimeOffset.UtcNow)
        {
            Kind = faxes.Kind,
            Direction = CallDirections.Outbound,
        };
        var sent = new TaskCompletionSource<FaxResult>();
        FaxResult? ended = null;
        faxes.StartSending(call, "fax-test", tiff, 0, sent, e => ended ??= (e as CallEvent.FaxEnded)?.Result);
        var received = Path.Combine(_dir, "received.tif");
        var log = new T30Log();
        using var farEnd = new FaxSession(new FaxSessionOptions { Calling = false, ReceiveFile = received, Ecm = false, Name = "far-end" }, log);

        var wire = new byte[FaxSession.FrameSamples];
        var heard = new short[FaxSession.FrameSamples];
        var answer = new short[FaxSession.FrameSamples];
        var random = new Random(16);
        var tick = 0;
        for (; tick < 4 * 60 * 50 && (ended is null || !farEnd.Completed); tick++)
        {
            call.Fax!.Terminal.OnTick(tick);
            call.Media.Player.NextFrame(wire, G711Law.MuLaw);
            G711.Decode(wire, heard, G711Law.MuLaw);
            if (log.NextPageUnderWay)
            {
                Hiss(heard, 0.35, random);
            }

            farEnd.Process(heard, answer);
            G711.Encode(answer, wire, G711Law.MuLaw);
            call.Media.Forward!.Write(wire, G711Law.MuLaw);
        }

        Assert.That(ended, Is.Not.Null, $"the platform's T.30 ended within {tick / 50} s of line time");
        call.Fax!.Resulted(ended!);
        faxes.End(call);
        var attempt = await sent.Task.WaitAsync(TimeSpan.FromSeconds(5));
        farEnd.Dispose();
        var record = CallRecordBuilder.Build(call, CallDisposition.FaxFailed, DateTimeOffset.UtcNow, null, null);
        TestContext.Out.WriteLine($"{attempt}\nfar end: {farEnd.Result}\nrecord: {record.Fax}\nin {tick / 50.0:0.0} s of line time");

        Assert.Multiple(() =>
        {
            Assert.That(log.Sent("RTN"), Is.EqualTo(1), "the far end refused page two by its own copy-quality check");
            Assert.That(farEnd.Result!.Rejections, Is.EqualTo(1));
            Assert.That(farEnd.Result.Pages, Is.EqualTo(1));
            Assert.That(attempt.Succeeded, Is.False, attempt.Text);
            Assert.That(attempt.Ecm, Is.False, "the far end offered no ECM");
            Assert.That(attempt.Code, Is.EqualTo(FaxResult.PageRefused));
            Assert.That(attempt.Pages, Is.EqualTo(1));
            Assert.That(attempt.Text, Does.Contain("refused page 2"));
            Assert.That(FaxRetry.MayPass(new FaxAttempt(200, attempt, attempt.Summary)), Is.True, "the outbox tries again from page two");
            Assert.That(record.Fax!.Code, Is.EqualTo(FaxResult.PageRefused), "the call's record carries the refusal");
            Assert.That(record.Fax.Pages, Is.EqualTo(1));
            Assert.That(record.Fax.Succeeded, Is.False);
            Assert.That(FaxPageImage.ReadAll(received), Has.Count.EqualTo(1), "the refused page is not kept");
        });
    }

    private static void Hiss(short[] samples, double overRms, Random random)
    {
        var sum = 0.0;
        foreach (var sample in samples)
        {
            sum += (double)sample * sample;
        }

        var peak = (int)(overRms * Math.Sqrt(sum / samples.Length));
        for (var i = 0; peak > 0 && i < samples.Length; i++)
        {
            samples[i] = (short)Math.Clamp(samples[i] + random.Next(-peak, peak + 1), short.MinValue, short.MaxValue);
        }
    }

    /// <summary>Four samples at the frame's start, alternating ± <paramref name="overRms"/> x the frame's RMS.</summary>
    private static void Click(short[] samples, double overRms)
    {
        var sum = 0.0;
        foreach (var sample in samples)
        {
            sum += (double)sample * sample;
        }

        var click = overRms * Math.Sqrt(sum / samples.Length);
        for (var i = 0; i < 4; i++)
        {
            samples[i] = (short)Math.Clamp(samples[i] + (i % 2 == 0 ? click : -click), short.MinValue, short.MaxValue);
        }
    }

    private string TwoPageTiff()
    {
        var ps = Path.Combine(_dir, "two-pages.ps");
        var tiff = Path.Combine(_dir, "two-pages.tif");
        File.WriteAllText(ps, FaxTestPostScript.Document(FaxTestPostScript.Light("Fax fallback, page one"), FaxTestPostScript.Light("Page two")));
        using var gs = Process.Start("gs", ["-q", "-dBATCH", "-dNOPAUSE", "-dSAFER", "-sDEVICE=tiffg4", "-r204x196", "-sPAPERSIZE=a4", "-sOutputFile=" + tiff, ps])!;
        gs.WaitForExit();
        Assert.That(gs.ExitCode, Is.Zero, "ghostscript made the test's TIFF");
        return tiff;
    }
}
