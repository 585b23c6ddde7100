using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using CallCenter.TestSupport;

namespace CallCenter.Integration.Tests;

/// <summary>
/// The outbox's promise under kill -9: the platform is killed while it sends a burst of SMS through a
/// real Kannel, started again on the same database, and fakesmsc's count must show every accepted
/// message exactly once (src/FaxSms/README.md says why none is duplicated: a message the dead run left
/// mid-send waits for its delivery report, which smsbox keeps retrying, before it is sent again).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Self)]
public sealed class SmsKillTests
{
    private const string Secret = "sms-kill-tests-callback-secret";

    [Test]
    public async Task ABurstOfSmsSurvivesKillMinusNineWithNoneLostAndNoneDuplicated()
    {
        const int total = 600;
        var httpPort = FreePorts.UdpAndTcp();
        var work = Directory.CreateTempSubdirectory("callcenter-kill-").FullName;
        await using var kannel = await Kannel.StartAsync(httpPort, Secret);
        string[] arguments =
        [
            .. kannel.PlatformArguments(httpPort, Secret),
            "--Database:ConnectionString=Data Source=" + Path.Combine(work, "callcenter.db"),
            // Small batches so that the kill finds messages at every step: claimed, at Kannel, answered.
            "--Outbox:BatchSize=20",
            "--Outbox:Concurrency=8",
            "--Outbox:UncertainSeconds=20",
        ];
        var accepted = new ConcurrentDictionary<string, string>(); // text → id
        var attempted = new ConcurrentBag<string>();
        try
        {
            var platform = await PlatformProcess.StartOnAsync(httpPort, arguments);
            string output;
            try
            {
                // Clients post the burst while the worker sends it; the kill comes mid-way through both.
                using var posting = new CancellationTokenSource();
                var posters = Enumerable.Range(0, 4).Select(p => Task.Run(async () =>
                {
                    using var http = new HttpClient { BaseAddress = platform.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
                    http.DefaultRequestHeaders.Add("X-Api-Key", "demo-api-key");
                    for (var i = p; i < total && !posting.IsCancellationRequested; i += 4)
                    {
                        var text = "burst-" + i.ToString("D4", CultureInfo.InvariantCulture);
                        attempted.Add(text);
                        try
                        {
                            using var response = await http.PostAsync("api/messages", new StringContent(
                                JsonSerializer.Serialize(new { channel = "sms", to = "13800000001", text }), System.Text.Encoding.UTF8, "application/json"));
                            if (response.StatusCode == HttpStatusCode.Accepted)
                            {
                                accepted[text] = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
                            }
                        }
                        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                        {
                            return; // the platform is gone
                        }
                    }
                })).ToList();

                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (kannel.Received.Count < total / 4 && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(5);
                }

                Assert.That(kannel.Received, Has.Count.GreaterThanOrEqualTo(total / 4), "the burst never got going\n" + kannel.Logs + platform.Output);
                output = platform.Output;
            }
            finally
            {
                await platform.DisposeAsync(); // SIGKILL mid-burst
            }

            var atKill = kannel.Received.Count;
            await Task.Delay(2000); // the posters notice; smsbox's delivery reports fail and are queued for retry
            Assert.That(accepted.Count, Is.LessThan(total).Or.GreaterThan(atKill), "the kill came after everything was sent: the test proved nothing");

            await using var restarted = await PlatformProcess.StartOnAsync(httpPort, arguments);
            // Every accepted message reaches the SMSC once and is delivered; wait for them all.
            var until = DateTime.UtcNow.AddSeconds(90);
            while (DateTime.UtcNow < until && accepted.Keys.Except(kannel.Received.Select(r => r.Text)).Any())
            {
                await Task.Delay(200);
            }

            await Task.Delay(TimeSpan.FromSeconds(25)); // past Outbox:UncertainSeconds: any resend would have happened by now
            var counts = kannel.Received.Where(r => r.To == "+8613800000001").GroupBy(r => r.Text).ToDictionary(g => g.Key, g => g.Count());
            var lost = accepted.Keys.Where(t => !counts.ContainsKey(t)).Order(StringComparer.Ordinal).ToList();
            var duplicated = counts.Where(c => c.Value > 1).Select(c => $"{c.Key}×{c.Value}").ToList();
            var unexplained = counts.Keys.Where(t => !attempted.Contains(t)).ToList();
            TestContext.Out.WriteLine($"posted {attempted.Count}, accepted {accepted.Count}, at the SMSC before the kill {atKill}, after {kannel.Received.Count}");
            Assert.That(lost, Is.Empty, "lost\n" + kannel.Logs + restarted.Output);
            Assert.That(duplicated, Is.Empty, "duplicated\n" + kannel.Logs + restarted.Output);
            Assert.That(unexplained, Is.Empty);

            // And the platform knows: every accepted message is delivered, none still queued.
            foreach (var id in accepted.Values.Take(total))
            {
                var (_, body) = await restarted.GetApiAsync($"api/messages/{id}");
                Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("delivered"), body.ToString());
            }

            // An SMS posted in the instant of the kill may have been stored without its 202 reaching the
            // client: it is sent too (once), which "unexplained" above allows only for texts that were posted.
            Assert.That(output, Does.Not.Contain(Kannel.Password));
        }
        finally
        {
            TestDatabases.DeleteSqliteFile(Path.Combine(work, "callcenter.db"));
            Directory.Delete(work, recursive: true);
        }
    }
}
