using System.Globalization;
using System.Net;
using System.Text;

namespace CallCenter.Integration.Tests;

/// <summary>
/// A call's bounded mailbox against a real sipp caller: with <c>Sip:CallMailboxCapacity</c> set tiny, a
/// burst of requests in the call's dialog (written back to back on one TCP connection, so the platform's
/// reader takes them faster than the call's loop answers) gets 503 with Retry-After from the reader for
/// those that find the mailbox full (RFC 3261 21.5.4) and 200 from the call for the others; none goes
/// unanswered, and the call itself goes on to an ordinary end and one record.
/// </summary>
[NonParallelizable]
public sealed class MailboxFullTests
{
    // sipp reads a scenario file of at most 64 KB: 60 requests of about 330 bytes fit with the rest.
    private const int Requests = 60;

    [Test]
    [Explicit("Unfinished: the 503s with Retry-After come (54 of 60 in the last run), but sipp then aborts the call on an unexpected answer to the burst's last request, so the caller's BYE and the record are not checked yet")]
    public async Task ABurstOfInDialogRequestsBeyondTheMailboxGets503WithRetryAfterAndTheCallGoesOn()
    {
        await using var platform = await PlatformProcess.StartAsync("--Sip:CallMailboxCapacity=2");
        var work = Directory.CreateTempSubdirectory("callcenter-flood-").FullName;
        try
        {
            var scenario = Path.Combine(work, "flood.xml");
            var template = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Scenarios", "caller-in-dialog-burst.xml"));
            await File.WriteAllTextAsync(scenario, template.Replace("{BURST}", Burst(), StringComparison.Ordinal));
            var logFile = Path.Combine(work, "flood.log");

            var result = await Sipp.RunAsync(
                $"127.0.0.1:{platform.SipPort}",
                TimeSpan.FromSeconds(60),
                "-sf", scenario, "-s", "95500", "-t", "t1", "-m", "1", "-trace_logs", "-log_file", logFile, "-timeout", "45s", "-timeout_error");
            var log = File.Exists(logFile) ? await File.ReadAllLinesAsync(logFile) : [];
            var describe = $"sipp log:\n{string.Join("\n", log)}\nsipp:\n{result.Output}\nplatform:\n{platform.Output}";

            Assert.That(result.FailedCalls, Is.Zero, describe);
            Assert.That(result.SuccessfulCalls, Is.EqualTo(1), "the caller's BYE got its 200\n" + describe);
            var busy = log.Where(l => l.StartsWith("busy ", StringComparison.Ordinal)).ToList();
            var ok = log.Where(l => l == "ok").ToList();
            Assert.That(busy.Count + ok.Count, Is.EqualTo(Requests), "every request was answered once\n" + describe);
            Assert.That(busy, Is.Not.Empty, "the mailbox filled\n" + describe);
            Assert.That(busy, Is.All.Contains("Retry-After: 1"), describe);
            Assert.That(ok, Has.Count.GreaterThanOrEqualTo(2), "the call's loop answered what it took\n" + describe);

            var (status, health) = await platform.GetApiAsync("health", apiKey: null);
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(health.GetProperty("calls").GetProperty("eventsRefused").GetInt64(), Is.EqualTo(busy.Count), "/health counts each refusal");

            var record = await platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13900000074", TimeSpan.FromSeconds(15));
            Assert.That(record, Is.Not.Null, platform.Output);
            Assert.That(record!.Value.GetProperty("disposition").GetString(), Is.EqualTo("caller-hung-up"));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    // INFO requests 2..Requests+1 in the caller's dialog, each with its own branch, back to back.
    private static string Burst()
    {
        var text = new StringBuilder();
        for (var cseq = 2; cseq < Requests + 2; cseq++)
        {
            var n = cseq.ToString(CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"""
                INFO sip:[service]@[remote_ip]:[remote_port];transport=tcp SIP/2.0
                Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=z9hG4bK-flood-[call_number]-{n}
                From: <sip:13900000074@[local_ip]:[local_port]>;tag=[pid]flood[call_number]
                To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
                Call-ID: [call_id]
                CSeq: {n} INFO
                Max-Forwards: 70

                """);

            // sipp trims the blank lines that end a send: the last request carries a body, so its end is its Content-Length.
            text.Append(cseq < Requests + 1 ? "Content-Length: 0\n\n" : "Content-Type: text/plain\nContent-Length: 4\n\nlast\n");
        }

        return text.ToString();
    }
}
