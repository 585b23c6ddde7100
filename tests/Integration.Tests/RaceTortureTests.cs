using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace CallCenter.Integration.Tests;

/// <summary>
/// Thousands of short calls from real sipp callers to real sipp agent phones and agents' desks on the
/// real agent hub, with a seeded random
/// schedule that makes events collide on the same call, then the end state every call must leave:
/// one record per call, no agent stuck offered or on a call, no call, RTP port or clock target left
/// on /health, no error in the platform's log.
/// </summary>
/// <remarks>
/// <para>Replay a failure with <c>RACE_SEED=&lt;seed&gt;</c> (printed at the start); <c>RACE_CALLS</c>
/// changes the number of calls (default 2,100). The seed draws every caller's hang-up or CANCEL moment,
/// every offered call's behaviour on the agent's phone, what each desk does to each of its calls, and the
/// REST schedule; what the platform's timing makes
/// of them differs from run to run, so a replay repeats the same pressure, not the same interleaving.</para>
/// <para>The collisions this produces (the test prints how often each REST request was accepted or
/// refused, and each sipp side's failed calls: none may fail, on the callers' side nor on the agent phones',
/// whose scenarios take every message the platform may rightly send in any order, so that sipp counts a call
/// failed only when the platform misbehaves):</para>
/// <list type="bullet">
/// <item>the caller's CANCEL crossing the platform's 200: one call in ten comes from torture-cancel.xml,
/// which CANCELs straight behind its INVITE, or when the platform has not answered 1, 5 or 25 ms after it,
/// so that either the CANCEL
/// wins (487) or the platform's answer does (the caller ACKs and BYEs; the CANCEL must change nothing), also
/// when the 200 slips in between the INVITE and the CANCEL;</item>
/// <item>caller BYE while the agent's phone rings: callers hang up 0–12 s after the answer, agents ring
/// 0–1.5 s, around the 2 s ring timeout, or not at all, so the platform CANCELs ringing phones many times per run;</item>
/// <item>CANCEL crossing the 200: one offer in five is answered 1.7–2.3 s after it rings, across the
/// platform's 2 s ring timeout, and callers' hang-ups fall on ringing phones, so some phones answer just
/// as the CANCEL leaves (torture-agent.xml answers such a CANCEL 200 and waits for the platform's ACK and BYE);</item>
/// <item>agent BYE during a transfer: phones in behaviour 5 hang up 0.1–0.9 s after answering, the window in
/// which the desks fire their blind transfers (and the REST schedule its own);</item>
/// <item>the desk hub (TortureDesks): six agents signed in on /hubs/agent break while offered, hold and
/// resume, transfer blind to an agent or a queue, consult, hang up from the desk while the supervisor's
/// barge, listen or whisper is fired at the same moment, or transfer and hang up at once;</item>
/// <item>agent BYE right after answering, against the caller's BYE and the ACK (behaviour 2), and
/// agent hold by re-INVITE sendonly then BYE (behaviour 3), crossing the REST hold, consult and
/// transfer the schedule fires at the same calls;</item>
/// <item>hold during a consult: REST hold/resume/monitor against a call in a consultation (refused 409
/// "is in a consultation"), and phones holding by re-INVITE while the REST schedule consults;</item>
/// <item>blind transfer, consult (completed or cancelled 0.2–2 s later), hold/resume, hang-up and
/// monitor (listen, whisper, barge with phone 1900, sometimes stopped) fired through the REST API at
/// calls taken from GET /api/agents, racing the callers' and agents' BYEs;</item>
/// <item>an agent's state change to break while offered, and back to available;</item>
/// <item>not produced: REFER from the phone, and DTMF.</item>
/// </list>
/// </remarks>
[NonParallelizable]
[Category("Torture")]
public sealed class RaceTortureTests
{
    private const int CallerInstances = 3;

    // Each of the three caller instances and the cancelling one runs for about the same time.
    private const double CallsPerSecondEach = 4.5;
    private const double CancelsPerSecond = 1.5;
    private const string Supervisor = "1900";

    // Agents who take queue calls and also have the desk open on the agent hub, driving their calls.
    private static readonly string[] _desks = ["1001", "1002", "1003", "1004", "1005", "1006"];
    private static readonly string[] _agents = ["1001", "1002", "1003", "1004", "1005", "1006", "1007", "1008", "1009", "1010", "1011", "1012"];

    // Without the "zh" skill the queue never offers them a call: they stay available as targets of
    // transfers and consultations (the queue keeps every other agent ringing or talking).
    private static readonly string[] _targetsOnly = ["1011", "1012"];

    [Test]
    public async Task ThousandsOfCollidingCallsEachLeaveOneRecordAndNothingStuckOrLeaked()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("RACE_SEED"), CultureInfo.InvariantCulture, out var fixedSeed) ? fixedSeed : Random.Shared.Next();
        var totalCalls = int.TryParse(Environment.GetEnvironmentVariable("RACE_CALLS"), CultureInfo.InvariantCulture, out var calls) ? calls : 2100;
        TestContext.Out.WriteLine($"RACE_SEED={seed} RACE_CALLS={totalCalls}");
        var random = new Random(seed);
        var started = DateTime.UtcNow;

        await using var platform = PlatformProcess.Start(QuickQueueConfig.Prepare,
            "--Sip:DigestAlgorithms:0=MD5", "--Sip:DigestAlgorithms:1=SHA-256",
            "--Agents:WrapUpSeconds=0", "--Agents:RingTimeoutSeconds=2", "--Agents:MaxMissedOffers=100",
            "--Routing:AnnouncementSeconds=0", "--Routing:RelationshipOfferSeconds=0",
            "--Routing:Queues:vip:MaxLength=300");
        await platform.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = platform.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
        http.DefaultRequestHeaders.Add("X-Api-Key", "demo-api-key");
        foreach (var extension in _agents.Skip(4))
        {
            var skills = _targetsOnly.Contains(extension) ? ["futures"] : new[] { "zh", "en", "stocks", "vip" };
            using var created = await http.PutAsync($"api/admin/agents/{extension}", Json(new { name = "Torture " + extension, skills, password = "demo-" + extension }));
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        }

        var work = Directory.CreateTempSubdirectory("callcenter-race-").FullName;
        var phones = new List<Sipp.Running>();
        try
        {
            // Each phone draws its behaviour per offered call from its own lines (sipp loops the file).
            foreach (var extension in _agents)
            {
                phones.Add(await StartPhoneAsync(platform, work, extension, AgentLines(random, 600), makeAvailable: true));
            }

            phones.Add(await StartPhoneAsync(platform, work, Supervisor, Enumerable.Repeat("0;200;0", 10), makeAvailable: false));

            var outcomes = new ConcurrentDictionary<string, int>();
            var reasons = new ConcurrentDictionary<string, string>();
            await using var desks = new TortureDesks(outcomes, reasons, http, Supervisor, [.. _targetsOnly, .. _agents.Take(4)]);
            foreach (var extension in _desks)
            {
                await desks.SignInAsync(platform, extension, new Random(random.Next()));
            }

            // Callers: a unique number per call (its records are counted by it) and the moment it hangs up.
            var callers = new List<string>();
            var callerRuns = new List<Sipp.Running>();
            // One call in ten from a caller who CANCELs around the platform's answer (torture-cancel.xml).
            var cancelling = totalCalls / 10;
            var perInstance = (totalCalls - cancelling + CallerInstances - 1) / CallerInstances;
            for (var k = 0; k < CallerInstances; k++)
            {
                var lines = new List<string>();
                for (var i = 0; i < perInstance; i++)
                {
                    var number = $"177{k}{i:D6}";
                    callers.Add(number);
                    lines.Add($"{number};{HangUpAfter(random)}");
                }

                var file = Injection(work, $"callers-{k}.csv", lines);
                callerRuns.Add(Sipp.Start($"127.0.0.1:{platform.SipPort}", [
                    "-sf", Path.Combine(AppContext.BaseDirectory, "Scenarios", "torture-caller.xml"), "-inf", file,
                    "-s", QuickQueueConfig.Line, "-m", perInstance.ToString(CultureInfo.InvariantCulture),
                    "-r", CallsPerSecondEach.ToString(CultureInfo.InvariantCulture), "-l", "120",
                    "-timeout", "220s", "-timeout_error"]));
            }

            var cancels = new List<string>();
            for (var i = 0; i < cancelling; i++)
            {
                var number = $"1779{i:D6}";
                callers.Add(number);
                cancels.Add($"{number};{CancelAfter(random)}");
            }

            callerRuns.Add(Sipp.Start($"127.0.0.1:{platform.SipPort}", [
                "-sf", Path.Combine(AppContext.BaseDirectory, "Scenarios", "torture-cancel.xml"), "-inf", Injection(work, "cancels.csv", cancels),
                "-s", QuickQueueConfig.Line, "-m", cancelling.ToString(CultureInfo.InvariantCulture),
                "-r", CancelsPerSecond.ToString(CultureInfo.InvariantCulture), "-l", "60",
                "-timeout", "220s", "-timeout_error"]));

            var records = new ConcurrentDictionary<string, Seen>();
            using var stop = new CancellationTokenSource();
            var schedule = RunScheduleAsync(http, new Random(random.Next()), outcomes, reasons, stop.Token);
            var collector = CollectRecordsAsync(http, records, stop.Token);
            var peak = new Health(0, 0, 0);
            var sampler = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        var h = await HealthAsync(http);
                        peak = new Health(Math.Max(peak.Active, h.Active), Math.Max(peak.RtpPorts, h.RtpPorts), Math.Max(peak.ClockTargets, h.ClockTargets));
                        await Task.Delay(1000, stop.Token);
                    }
                    catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
                    {
                        // Stopped, or one sample lost.
                    }
                }
            });

            var results = new List<Sipp.Result>();
            foreach (var run in callerRuns)
            {
                results.Add(await run.WaitAsync(TimeSpan.FromSeconds(240)));
            }

            var callersDone = DateTime.UtcNow;
            await stop.CancelAsync();
            await Task.WhenAll(schedule, collector, sampler, desks.StopAsync());

            // Everything ended: nothing may stay on the platform (a few seconds for the last BYEs and records).
            var health = await PollAsync(() => HealthAsync(http), h => h.Active == 0 && h.RtpPorts == 0 && h.ClockTargets == 0, TimeSpan.FromSeconds(15));
            var stuck = await PollAsync(() => StuckAgentsAsync(http), s => s.Count == 0, TimeSpan.FromSeconds(10));
            await CollectOnceAsync(http, records);
            await Task.Delay(2000);
            await CollectOnceAsync(http, records);

            var phoneResults = new List<Sipp.Result>();
            foreach (var phone in phones)
            {
                phone.Quit();
                phoneResults.Add(await phone.WaitAsync(TimeSpan.FromSeconds(40)));
            }

            var perCaller = records.GroupBy(r => r.Value.Caller).ToDictionary(g => g.Key, g => g.Count());
            var missing = callers.Where(c => !perCaller.ContainsKey(c)).ToList();
            var duplicated = perCaller.Where(p => p.Value > 1).Select(p => $"{p.Key} x{p.Value}").ToList();
            var log = platform.Output.Split('\n');
            var errors = log.Where(IsErrorLine).ToList();
            // A REST 5xx, or a hub method that threw on the server (counted " 500" by the desks).
            var serverErrors = outcomes.Where(o => o.Key.EndsWith(" 500", StringComparison.Ordinal) || o.Key.EndsWith(" 502", StringComparison.Ordinal) || o.Key.EndsWith(" 503", StringComparison.Ordinal)).Select(o => $"{o.Key} x{o.Value}").ToList();

            // Each error line with what the logger wrote under it (message, exception, stack).
            foreach (var (line, index) in log.Select((l, i) => (l, i)).Where(x => IsErrorLine(x.l)).Take(8))
            {
                TestContext.Out.WriteLine(string.Join("\n", log.Skip(index).Take(14)));
            }


            TestContext.Out.WriteLine($"callers done after {(callersDone - started).TotalSeconds:F0} s, checks done after {(DateTime.UtcNow - started).TotalSeconds:F0} s");
            TestContext.Out.WriteLine("sipp callers (successful/failed): " + string.Join(", ", results.Select(r => $"{r.SuccessfulCalls}/{r.FailedCalls}")));
            TestContext.Out.WriteLine($"peak on /health: {peak}");
            foreach (var failed in results.Where(r => r.FailedCalls > 0))
            {
                TestContext.Out.WriteLine("a caller sipp's failures:\n" + Tail(failed.Output));
            }

            TestContext.Out.WriteLine("REST schedule and desks: " + string.Join(", ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}={o.Value}")));
            TestContext.Out.WriteLine("refusals, e.g.: " + string.Join(" | ", reasons.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}: {r.Value}")));
            TestContext.Out.WriteLine("dispositions: " + Tally(records.Values.Select(r => r.Disposition)));
            TestContext.Out.WriteLine("agent legs: " + Tally(records.Values.SelectMany(r => r.AgentLegs)));
            TestContext.Out.WriteLine("agent phones' sipp (successful/failed): " + string.Join(", ", phoneResults.Select(r => $"{r.SuccessfulCalls}/{r.FailedCalls}")));
            TestContext.Out.WriteLine($"records {records.Count} for {callers.Count} callers; missing {missing.Count}, duplicated {duplicated.Count}; health {health}; stuck [{string.Join(", ", stuck)}]; error lines {errors.Count}");
            var failure = $"RACE_SEED={seed}";

            using (Assert.EnterMultipleScope())
            {
                Assert.That(callers, Has.Count.GreaterThanOrEqualTo(Math.Min(totalCalls, 2000)));
                Assert.That(results.Sum(r => r.SuccessfulCalls + r.FailedCalls), Is.EqualTo(callers.Count), $"{failure}: every call was placed\n" + string.Join("\n", results.Select(r => Tail(r.Output))));
                // The callers' scenarios take every answer the platform may rightly give in any order (torture-cancel.xml
                // also a 200 slipping in between its INVITE and CANCEL), so a call sipp counts as failed is one the
                // platform left without an answer for 8 s or answered out of turn.
                Assert.That(results.Select(r => r.FailedCalls), Is.All.Zero, $"{failure}: no caller's call failed\n" + string.Join("\n", results.Where(r => r.FailedCalls > 0).Select(r => Tail(r.Output))));
                // The phones' scenario likewise takes every message the platform may rightly send in any order (a CANCEL
                // crossing the 200 or the 486, the ACK slipping in while sipp answers that CANCEL, an answer to the phone's
                // BYE or re-INVITE crossing the platform's BYE, a retransmitted INVITE), so a failed call is a platform fault.
                Assert.That(phoneResults.Select(r => r.FailedCalls), Is.All.Zero, $"{failure}: no agent phone's call failed\n" + string.Join("\n", phoneResults.Where(r => r.FailedCalls > 0).Select(r => Tail(r.Output))));
                Assert.That(missing, Is.Empty, $"{failure}: every call has a record; none for {missing.Count}, e.g. {string.Join(", ", missing.Take(10))}");
                Assert.That(duplicated, Is.Empty, $"{failure}: every call has exactly one record");
                Assert.That(stuck, Is.Empty, $"{failure}: no agent offered or on a call once every call ended");
                Assert.That(health, Is.EqualTo(new Health(0, 0, 0)), $"{failure}: /health shows no active call, RTP port or clock target once every call ended");
                Assert.That(serverErrors, Is.Empty, $"{failure}: a REST request or a desk command may be refused (4xx), never fail (5xx)");
                Assert.That(outcomes.Where(o => o.Key.StartsWith("desk ", StringComparison.Ordinal) && o.Key.EndsWith(" ok", StringComparison.Ordinal)).Sum(o => o.Value),
                    Is.GreaterThan(100), $"{failure}: the desks drove calls through the hub");
                Assert.That(errors, Is.Empty, $"{failure}: the platform logged errors\n{string.Join("\n", errors.Take(40))}");
                Assert.That(platform.HasExited, Is.False, failure);
            }
        }
        finally
        {
            foreach (var phone in phones)
            {
                await phone.DisposeAsync();
            }

            Directory.Delete(work, recursive: true);
        }
    }

    // 0 answer, 1 reject, 2 answer and BYE at once, 3 answer then hold then BYE, 4 never answer,
    // 5 answer and BYE 0.1–0.9 s later: inside the window in which the desks fire their transfers.
    private static IEnumerable<string> AgentLines(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ =>
        {
            var roll = random.Next(100);
            var mode = roll < 42 ? 0 : roll < 54 ? 1 : roll < 64 ? 2 : roll < 78 ? 3 : roll < 88 ? 4 : 5;
            // Mostly well within the 2 s ring timeout; one in five answers around it (the 200 crossing its CANCEL).
            var ring = random.Next(5) == 0 ? random.Next(1700, 2300) : random.Next(0, 1500);
            var talk = mode == 5 ? random.Next(100, 900) : random.Next(0, 4000);
            return $"{mode};{ring};{talk}";
        });

    // How long a cancelling caller waits for the answer before its CANCEL (torture-cancel.xml: 0 → not at all,
    // the CANCEL follows the INVITE at once; under 3 → 1 ms, under 15 → 5 ms, else 25 ms): the platform
    // answers within a ms or so on loopback, more under load.
    private static int CancelAfter(Random random)
    {
        var roll = random.Next(100);
        return roll < 40 ? 0 : roll < 80 ? random.Next(1, 15) : random.Next(15, 80);
    }

    // Some hang up in the queue or while an agent's phone rings, most talk a little, some a while.
    private static int HangUpAfter(Random random)
    {
        var roll = random.Next(100);
        return roll < 30 ? random.Next(0, 1500) : roll < 80 ? random.Next(1500, 6000) : random.Next(6000, 12000);
    }

    private static string Injection(string work, string name, IEnumerable<string> lines)
    {
        var path = Path.Combine(work, name);
        File.WriteAllLines(path, ["SEQUENTIAL", .. lines]);
        return path;
    }

    /// <summary>A sipp phone answering with torture-agent.xml, registered as <paramref name="extension"/> like <see cref="AgentPhone"/>.</summary>
    private static async Task<Sipp.Running> StartPhoneAsync(PlatformProcess platform, string work, string extension, IEnumerable<string> lines, bool makeAvailable)
    {
        var port = CallCenter.TestSupport.FreePorts.UdpAndTcp();
        var target = $"127.0.0.1:{platform.SipPort}";
        var phone = Sipp.Start(target, [
            "-sf", Path.Combine(AppContext.BaseDirectory, "Scenarios", "torture-agent.xml"),
            "-inf", Injection(work, $"phone-{extension}.csv", lines), "-m", "1000000"], port);
        var register = AgentPhone.Template("register-contact.xml", new() { ["{CONTACT_PORT}"] = port.ToString(CultureInfo.InvariantCulture) });
        var registered = await Sipp.RunAsync(target, TimeSpan.FromSeconds(30), "-sf", register, "-s", extension, "-au", extension, "-ap", "demo-" + extension, "-m", "1", "-timeout", "20s", "-timeout_error");
        File.Delete(register);
        Assert.That(registered.SuccessfulCalls, Is.EqualTo(1), $"{extension} did not register\n{registered.Output}");
        if (makeAvailable)
        {
            var available = await platform.PostApiAsync($"api/agents/{extension}/state", "{\"state\": \"available\"}");
            Assert.That(available.Status, Is.EqualTo(HttpStatusCode.OK), available.Body);
        }

        return phone;
    }

    /// <summary>
    /// Fires REST requests at live calls and offered agents at random moments until stopped; each
    /// request runs on its own so that several hit one call at once. Refusals are counted, not failed.
    /// </summary>
    private static async Task RunScheduleAsync(HttpClient http, Random random, ConcurrentDictionary<string, int> outcomes, ConcurrentDictionary<string, string> reasons, CancellationToken stop)
    {
        var inFlight = new List<Task>();
        async Task Fire(string name, HttpMethod method, string path, object? body = null, int delayMs = 0)
        {
            try
            {
                if (delayMs > 0)
                {
                    await Task.Delay(delayMs, CancellationToken.None);
                }

                using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Json(body) };
                using var response = await http.SendAsync(request, CancellationToken.None);
                outcomes.AddOrUpdate($"{name} {(int)response.StatusCode}", 1, (_, n) => n + 1);
                if (!response.IsSuccessStatusCode)
                {
                    // One refusal reason of each kind, for the printout.
                    var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
                    var detail = text.Contains("\"detail\"", StringComparison.Ordinal) ? JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString() : text;
                    reasons.TryAdd($"{name} {(int)response.StatusCode}", detail ?? "");
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                outcomes.AddOrUpdate($"{name} {e.GetType().Name}", 1, (_, n) => n + 1);
            }
        }

        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(random.Next(20, 120), stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            List<(string Id, string? State, string? CallId)> agents;
            try
            {
                var text = await http.GetStringAsync("api/agents", stop);
                using var document = JsonDocument.Parse(text);
                agents = [.. document.RootElement.EnumerateArray().Select(a => (
                    a.GetProperty("id").GetString()!,
                    a.GetProperty("state").GetString(),
                    a.TryGetProperty("callId", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null))];
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                continue;
            }

            var onCall = agents.Where(a => a.CallId is not null && a.State == "onCall").ToList();
            var offered = agents.Where(a => a.State == "offered").ToList();
            var roll = random.Next(100);
            // A transfer or consult target that can take it: an available agent when there is one.
            var available = agents.Where(a => a.State == "available").Select(a => a.Id).ToList();
            var pick = random.Next(10);
            var other = pick < 6 ? _targetsOnly[random.Next(_targetsOnly.Length)]
                : pick < 8 && available.Count > 0 ? available[random.Next(available.Count)]
                : _agents[random.Next(_agents.Length)];
            var later = random.Next(200, 2000);
            if (roll < 60 && onCall.Count > 0)
            {
                var id = onCall[random.Next(onCall.Count)].CallId!;
                var call = $"api/calls/{id}";
                switch (random.Next(6))
                {
                    case 0:
                        inFlight.Add(Fire("transfer", HttpMethod.Post, call + "/transfer", new { target = random.Next(4) == 0 ? "general" : other }));
                        break;
                    case 1:
                        inFlight.Add(Fire("consult", HttpMethod.Post, call + "/consult", new { target = other }));
                        inFlight.Add(random.Next(2) == 0
                            ? Fire("consult/complete", HttpMethod.Post, call + "/consult/complete", delayMs: later)
                            : Fire("consult/cancel", HttpMethod.Post, call + "/consult/cancel", delayMs: later));
                        break;
                    case 2:
                        inFlight.Add(Fire("hold", HttpMethod.Post, call + "/hold"));
                        inFlight.Add(Fire("resume", HttpMethod.Post, call + "/resume", delayMs: later));
                        break;
                    case 3:
                        var mode = new[] { "listen", "whisper", "barge" }[random.Next(3)];
                        inFlight.Add(Fire("monitor", HttpMethod.Post, call + "/monitor", new { mode, extension = Supervisor }));
                        if (random.Next(3) == 0)
                        {
                            inFlight.Add(Fire("monitor/stop", HttpMethod.Delete, $"{call}/monitor/{Supervisor}", delayMs: later));
                        }

                        break;
                    case 4:
                        // Two requests on one call at once: hold against a transfer.
                        inFlight.Add(Fire("hold", HttpMethod.Post, call + "/hold"));
                        inFlight.Add(Fire("transfer", HttpMethod.Post, call + "/transfer", new { target = other }));
                        break;
                    default:
                        inFlight.Add(Fire("hangup", HttpMethod.Post, call + "/hangup"));
                        break;
                }
            }
            else if (roll < 75 && offered.Count > 0)
            {
                var agent = offered[random.Next(offered.Count)].Id;
                inFlight.Add(Fire("offered→break", HttpMethod.Post, $"api/agents/{agent}/state", new { state = "break", reason = "torture" }));
                inFlight.Add(Fire("→available", HttpMethod.Post, $"api/agents/{agent}/state", new { state = "available" }, delayMs: later));
            }
            else
            {
                foreach (var resting in agents.Where(a => a.State == "break"))
                {
                    inFlight.Add(Fire("→available", HttpMethod.Post, $"api/agents/{resting.Id}/state", new { state = "available" }));
                }
            }

            inFlight.RemoveAll(t => t.IsCompleted);
        }

        await Task.WhenAll(inFlight);
    }

    /// <summary>Keeps every record seen by id: GET /api/calls lists at most the newest 1,000, so it is read every few seconds.</summary>
    private static async Task CollectRecordsAsync(HttpClient http, ConcurrentDictionary<string, Seen> records, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await CollectOnceAsync(http, records);
            try
            {
                await Task.Delay(4000, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private static async Task CollectOnceAsync(HttpClient http, ConcurrentDictionary<string, Seen> records)
    {
        try
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync("api/calls?limit=1000"));
            foreach (var call in document.RootElement.EnumerateArray())
            {
                var legs = call.TryGetProperty("legs", out var l) && l.ValueKind == JsonValueKind.Array
                    ? l.EnumerateArray().Where(g => g.GetProperty("role").GetString() == "agent").Select(g => g.GetProperty("outcome").GetString() ?? "?").ToArray()
                    : [];
                records[call.GetProperty("id").GetString()!] = new Seen(call.GetProperty("caller").GetString()!, call.GetProperty("disposition").GetString() ?? "?", legs);
            }
        }
        catch (HttpRequestException)
        {
            // Counted by the next read.
        }
    }

    private sealed record Seen(string Caller, string Disposition, string[] AgentLegs);

    private sealed record Health(long Active, long RtpPorts, long ClockTargets);

    private static async Task<Health> HealthAsync(HttpClient http)
    {
        using var document = JsonDocument.Parse(await http.GetStringAsync("health"));
        var root = document.RootElement;
        var media = root.GetProperty("media");
        return new Health(root.GetProperty("calls").GetProperty("active").GetInt64(), media.GetProperty("rtpPortsInUse").GetInt64(), media.GetProperty("clockTargets").GetInt64());
    }

    private static async Task<List<string>> StuckAgentsAsync(HttpClient http)
    {
        using var document = JsonDocument.Parse(await http.GetStringAsync("api/agents"));
        return [.. document.RootElement.EnumerateArray()
            .Where(a => a.GetProperty("state").GetString() is "offered" or "onCall")
            .Select(a => a.ToString())];
    }

    private static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var value = await read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            value = await read();
        }

        return value;
    }

    // Console logger: "fail:" is Error, "crit:" Critical; an exception nobody caught says "Unhandled".
    private static bool IsErrorLine(string line) =>
        line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal)
        || line.Contains("Unhandled", StringComparison.OrdinalIgnoreCase) || line.Contains("Unobserved", StringComparison.OrdinalIgnoreCase);

    private static string Tally(IEnumerable<string> values) =>
        string.Join(", ", values.GroupBy(v => v, StringComparer.Ordinal).OrderByDescending(g => g.Count()).Select(g => $"{g.Key}={g.Count()}"));

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static string Tail(string text) => text.Length <= 6000 ? text : text[^6000..];
}
