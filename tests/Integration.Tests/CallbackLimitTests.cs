using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using CallCenter.TestSupport;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace CallCenter.Integration.Tests;

/// <summary>
/// Cancelling callbacks and their limits against one running platform with a trunk and no agent signed in (so nothing
/// is dialled unless a test says so): a supervisor's API cancels a waiting callback, which leaves its queue and the
/// wallboard's counts at once (due now, later, overdue, pushed each second); an agent cancels only their own from the
/// desk and owns at most Callbacks:MaxPendingPerAgent; a desk booking for a queue that does not exist is refused; and
/// real sipp callers pressing 1 and 2 in the queue hold at most Callbacks:MaxPendingPerNumber callbacks.
/// </summary>
[Parallelizable(ParallelScope.Self)]
public sealed class CallbackLimitTests
{
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(15);
    private PlatformProcess _platform = null!;
    private string _captures = "";

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _captures = Directory.CreateTempSubdirectory("callback-limit-dtmf-").FullName;
        var carrierPort = FreePorts.UdpAndTcp();
        _platform = await PlatformProcess.StartAsync([
            "--Logging:LogLevel:Default=Information", "--Callbacks:MaxPendingPerAgent=2",
            "--Trunks:0:Name=carrier", $"--Trunks:0:Address=127.0.0.1:{carrierPort.ToString(CultureInfo.InvariantCulture)}", "--Trunks:0:Transport=udp",
            "--Trunks:0:CallerId=95500"]);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _platform.DisposeAsync();
        Directory.Delete(_captures, recursive: true);
    }

    [Test]
    public async Task ASupervisorCancelsAWaitingCallbackWhichLeavesItsQueueAndTheWallboardLiveAndStaysCancelled()
    {
        await using var board = await DeskHubCallTests.SignedInHubAsync(_platform, "super", "demo-super", "hubs/wallboard", "/desk/wallboard");
        var views = Channel.CreateUnbounded<JsonElement>();
        board.On<JsonElement>("wallboard", v => views.Writer.TryWrite(v));
        var before = Callbacks(await board.InvokeAsync<JsonElement>("snapshot"), "general");
        var waitingBefore = await WaitingAsync("general");

        // Due now, scheduled for later, and one whose time passed two hours ago (due now and overdue).
        var now = await BookAsync("{\"number\": \"13900000071\", \"queue\": \"general\"}");
        var later = await BookAsync($"{{\"number\": \"13900000072\", \"queue\": \"general\", \"at\": \"{DateTimeOffset.UtcNow.AddHours(1):O}\"}}");
        var overdue = await BookAsync($"{{\"number\": \"13900000073\", \"queue\": \"general\", \"at\": \"{DateTimeOffset.UtcNow.AddHours(-2):O}\"}}");
        var booked = await ViewAsync(views, v => Callbacks(v, "general").Later == before.Later + 1 && Callbacks(v, "general").DueNow == before.DueNow + 2);
        var waitingBooked = await WaitingAsync("general");

        var cancelled = await _platform.PostApiAsync($"api/callbacks/{now}/cancel", "{}");
        var cancelledAt = DateTimeOffset.UtcNow;
        var afterCancel = await ViewAsync(views, v => Callbacks(v, "general").DueNow == before.DueNow + 1);
        var waitingAfter = await WaitingAsync("general");
        var again = await _platform.PostApiAsync($"api/callbacks/{now}/cancel", "{}");
        var unknown = await _platform.PostApiAsync("api/callbacks/cb-0000000000000000/cancel", "{}");
        var anonymous = await AnonymousPostAsync($"api/callbacks/{later}/cancel");
        var cancelLater = await _platform.PostApiAsync($"api/callbacks/{later}/cancel", "{}");
        var afterLater = await ViewAsync(views, v => Callbacks(v, "general").Later == before.Later);
        var (_, shown) = await _platform.GetApiAsync($"api/callbacks/{now}");
        var (_, listed) = await _platform.GetApiAsync("api/callbacks?status=cancelled");

        Assert.Multiple(() =>
        {
            Assert.That(Callbacks(booked, "general").Overdue, Is.EqualTo(before.Overdue + 1), "the one due two hours ago is overdue: " + booked.GetProperty("callbacks"));
            Assert.That(waitingBooked, Is.EqualTo(waitingBefore + 2), "the two due now wait in the queue");
            Assert.That(cancelled.Status, Is.EqualTo(HttpStatusCode.OK), cancelled.Body);
            Assert.That(Callbacks(afterCancel, "general").Later, Is.EqualTo(before.Later + 1), "only the cancelled one left the board");
            Assert.That(waitingAfter, Is.EqualTo(waitingBefore + 1), "the cancelled callback left its queue: no agent can be given it");
            Assert.That(again.Status, Is.EqualTo(HttpStatusCode.Conflict), again.Body);
            Assert.That(again.Body, Does.Contain("already cancelled"));
            Assert.That(unknown.Status, Is.EqualTo(HttpStatusCode.NotFound), unknown.Body);
            Assert.That(anonymous, Is.EqualTo(HttpStatusCode.Unauthorized), "nobody cancels without signing in or a key");
            Assert.That(cancelLater.Status, Is.EqualTo(HttpStatusCode.OK), cancelLater.Body);
            Assert.That(Callbacks(afterLater, "general").DueNow, Is.EqualTo(before.DueNow + 1), "the overdue one still waits: " + afterLater.GetProperty("callbacks"));
            Assert.That(shown.GetProperty("status").GetString(), Is.EqualTo("cancelled"), shown.ToString());
            Assert.That(shown.GetProperty("cancelledBy").GetString(), Is.EqualTo("api-key"));
            Assert.That(shown.GetProperty("cancelledAt").GetDateTimeOffset(), Is.EqualTo(cancelledAt).Within(TimeSpan.FromSeconds(5)));
            Assert.That(shown.GetProperty("attempts").GetInt32(), Is.Zero, "never dialled");
            Assert.That(listed.EnumerateArray().Select(c => c.GetProperty("id").GetString()), Is.SupersetOf(new[] { now, later }));
            Assert.That(listed.EnumerateArray().Select(c => c.GetProperty("id").GetString()), Does.Not.Contain(overdue));
        });
    }

    [Test]
    public async Task AnAgentCancelsTheirOwnCallbackFromTheDeskNotAnothersAndOwnsNoMoreThanTheCapInAQueueThatExists()
    {
        await using var owner = await DeskHubCallTests.SignedInHubAsync(_platform, "1002", "demo-1002");
        await using var other = await DeskHubCallTests.SignedInHubAsync(_platform, "1003", "demo-1003");
        var at = DateTimeOffset.UtcNow.AddHours(3).ToString("O");
        var first = await owner.InvokeAsync<JsonElement>("bookCallback", "13900000074", at, null);
        var id = first.GetProperty("id").GetString()!;

        var notTheirs = Assert.ThrowsAsync<HubException>(() => other.InvokeAsync<JsonElement>("cancelCallback", id));
        var stillThere = (await _platform.GetApiAsync($"api/callbacks/{id}")).Body.GetProperty("status").GetString();
        var cancelled = await owner.InvokeAsync<JsonElement>("cancelCallback", id);
        var (_, shown) = await _platform.GetApiAsync($"api/callbacks/{id}");
        var twice = Assert.ThrowsAsync<HubException>(() => owner.InvokeAsync<JsonElement>("cancelCallback", id));

        // Callbacks:MaxPendingPerAgent=2: two more are booked (the cancelled one does not count), a third is refused.
        var noQueue = Assert.ThrowsAsync<HubException>(() => owner.InvokeAsync<JsonElement>("bookCallback", "13900000075", at, "no-such-queue"));
        await owner.InvokeAsync<JsonElement>("bookCallback", "13900000075", at, null);
        await owner.InvokeAsync<JsonElement>("bookCallback", "13900000076", at, "general");
        var third = Assert.ThrowsAsync<HubException>(() => owner.InvokeAsync<JsonElement>("bookCallback", "13900000077", at, null));
        var throughApi = await _platform.PostApiAsync("api/callbacks", $"{{\"number\": \"13900000077\", \"at\": \"{at}\", \"owner\": \"1002\"}}");
        var forAnother = await other.InvokeAsync<JsonElement>("bookCallback", "13900000077", at, null);
        var mine = await owner.InvokeAsync<JsonElement>("myCallbacks");

        Assert.Multiple(() =>
        {
            Assert.That(notTheirs!.Message, Does.Contain("is not yours"));
            Assert.That(stillThere, Is.EqualTo("scheduled"), "another agent's refusal changed nothing");
            Assert.That(cancelled.GetProperty("status").GetString(), Is.EqualTo("cancelled"), cancelled.ToString());
            Assert.That(shown.GetProperty("status").GetString(), Is.EqualTo("cancelled"));
            Assert.That(shown.GetProperty("cancelledBy").GetString(), Is.EqualTo("1002"));
            Assert.That(twice!.Message, Does.Contain("already cancelled"));
            Assert.That(noQueue!.Message, Does.Contain("there is no queue \"no-such-queue\""));
            Assert.That(third!.Message, Does.Contain("agent 1002 already owns 2 pending callbacks").And.Contain("Callbacks:MaxPendingPerAgent"));
            Assert.That(throughApi.Status, Is.EqualTo(HttpStatusCode.Conflict), throughApi.Body);
            Assert.That(forAnother.GetProperty("status").GetString(), Is.EqualTo("scheduled"), "1003's own count is theirs");
            Assert.That(mine.EnumerateArray().Count(c => c.GetProperty("status").GetString() == "scheduled"), Is.EqualTo(2), mine.ToString());
            Assert.That(_platform.Output, Does.Contain($"Callback {id} to 13900000074 in queue general cancelled by 1002"));
        });
    }

    [Test]
    public async Task ACallerHoldsOneQueueCallbackAskingAgainForThatNumberKeepsItAndAnotherNumberIsRefused()
    {
        // 13900000081 presses 2 and keys 13900000082: booked, and the call ends.
        await using var keyed = Sipp.Start($"127.0.0.1:{_platform.SipPort}", [
            "-sf", Scenario("keys-until-bye.xml", "13900000081", "+2000", "1", "+2500", "0", "+12000", "2", "+1000", "13900000082#"),
            "-s", "95500", "-m", "1", "-mp", FreeMediaPort(), "-timeout", "90s", "-timeout_error"]);
        var keyedResult = await keyed.WaitAsync(TimeSpan.FromSeconds(90));
        Assert.That(keyedResult.SuccessfulCalls, Is.EqualTo(1), keyedResult.Output + _platform.Output);

        // Then 13900000082 itself presses 1 (that number is pending: kept, told so, the call ends), while 13900000081
        // presses 1 for their own number (their one callback is used: refused, they keep waiting and hang up).
        await using var sameNumber = Sipp.Start($"127.0.0.1:{_platform.SipPort}", [
            "-sf", Scenario("keys-until-bye.xml", "13900000082", "+2000", "1", "+2500", "0", "+12000", "1"),
            "-s", "95500", "-m", "1", "-mp", FreeMediaPort(), "-timeout", "90s", "-timeout_error"]);
        await using var capped = Sipp.Start($"127.0.0.1:{_platform.SipPort}", [
            "-sf", Scenario("ivr-keys.xml", "13900000081", "+2000", "1", "+2500", "0", "+12000", "1", "+9000"),
            "-s", "95500", "-m", "1", "-mp", FreeMediaPort(), "-timeout", "90s", "-timeout_error"]);
        var sameResult = await sameNumber.WaitAsync(TimeSpan.FromSeconds(90));
        var cappedResult = await capped.WaitAsync(TimeSpan.FromSeconds(90));
        var sameRecord = await _platform.WaitForCallRecordAsync(c => c.GetProperty("caller").GetString() == "13900000082", _wait)
            ?? throw new AssertionException("no record of 13900000082's call\n" + _platform.Output);
        var cappedRecord = await _platform.WaitForCallRecordAsync(
            c => c.GetProperty("caller").GetString() == "13900000081" && c.GetProperty("disposition").GetString() != "callback-requested", _wait)
            ?? throw new AssertionException("no record of 13900000081's second call\n" + _platform.Output);
        var (_, all) = await _platform.GetApiAsync("api/callbacks?limit=500");
        var theirs = all.EnumerateArray().Where(c => c.GetProperty("number").GetString() is "13900000081" or "13900000082").ToList();

        Assert.Multiple(() =>
        {
            Assert.That(sameResult.SuccessfulCalls, Is.EqualTo(1), "the platform ends the call after telling them it is booked already\n" + sameResult.Output);
            Assert.That(sameRecord.GetProperty("disposition").GetString(), Is.EqualTo("callback-requested"), sameRecord.ToString());
            Assert.That(cappedResult.SuccessfulCalls, Is.EqualTo(1), "the capped caller keeps waiting and hangs up themselves\n" + cappedResult.Output);
            Assert.That(cappedRecord.GetProperty("disposition").GetString(), Is.EqualTo("caller-hung-up"), cappedRecord.ToString());
            Assert.That(theirs.Count, Is.EqualTo(1), "one callback, to 13900000082: " + all);
            Assert.That(theirs[0].GetProperty("number").GetString(), Is.EqualTo("13900000082"));
            Assert.That(theirs[0].GetProperty("requestedBy").GetString(), Is.EqualTo("13900000081"));
            Assert.That(theirs[0].GetProperty("status").GetString(), Is.EqualTo("queued"));
            Assert.That(_platform.Output, Does.Contain($"Callback {theirs[0].GetProperty("id").GetString()} to 13900000082 in queue general is already booked; kept as it is"));
            Assert.That(_platform.Output, Does.Contain("no callback booked to 13900000081: 13900000081 already has 1 callback(s) pending (Callbacks:MaxPendingPerNumber is 1)"));
        });
    }

    private async Task<string> BookAsync(string json)
    {
        var booked = await _platform.PostApiAsync("api/callbacks", json);
        Assert.That(booked.Status, Is.EqualTo(HttpStatusCode.Created), booked.Body);
        return JsonDocument.Parse(booked.Body).RootElement.GetProperty("id").GetString()!;
    }

    private async Task<int> WaitingAsync(string queue)
    {
        var (_, queues) = await _platform.GetApiAsync("api/queues");
        var found = queues.EnumerateArray().FirstOrDefault(q => q.GetProperty("id").GetString() == queue);
        return found.ValueKind == JsonValueKind.Undefined ? 0 : found.GetProperty("waiting").GetInt32();
    }

    private async Task<HttpStatusCode> AnonymousPostAsync(string path)
    {
        using var http = new HttpClient { BaseAddress = _platform.BaseAddress };
        using var response = await http.PostAsync(new Uri(path, UriKind.Relative), new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        return response.StatusCode;
    }

    /// <summary>The wallboard's callbacks for <paramref name="queue"/> (zeros when it has none).</summary>
    private static (int DueNow, int Later, int Overdue) Callbacks(JsonElement view, string queue)
    {
        var found = view.GetProperty("callbacks").EnumerateArray().FirstOrDefault(c => c.GetProperty("queue").GetString() == queue);
        return found.ValueKind == JsonValueKind.Undefined
            ? (0, 0, 0)
            : (found.GetProperty("dueNow").GetInt32(), found.GetProperty("later").GetInt32(), found.GetProperty("overdue").GetInt32());
    }

    /// <summary>The first pushed view that passes <paramref name="check"/> (the wallboard sends one each second).</summary>
    private async Task<JsonElement> ViewAsync(Channel<JsonElement> views, Func<JsonElement, bool> check)
    {
        using var timeout = new CancellationTokenSource(_wait);
        try
        {
            while (true)
            {
                var view = await views.Reader.ReadAsync(timeout.Token);
                if (check(view))
                {
                    return view;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new AssertionException("no wallboard view showed it\n" + _platform.Output);
        }
    }

    private string Scenario(string template, string caller, params string[] keys) =>
        AgentPhone.Template(template, new() { ["{CALLER}"] = caller, ["{KEYS}"] = DtmfKeys.Steps(_captures, keys) });

    private static string FreeMediaPort() => FreePorts.UdpBlock(4).ToString(CultureInfo.InvariantCulture);
}
