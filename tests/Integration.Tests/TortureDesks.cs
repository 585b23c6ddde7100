using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace CallCenter.Integration.Tests;

/// <summary>
/// The race torture's agent desks: each agent signs in at /desk/signin and opens the real agent hub,
/// and every call the hub shows them ringing or talking draws (from the test's seed) what the desk does
/// to it and when: break while offered, hold then resume, a blind transfer to an agent or a queue
/// (0–0.9 s after the answer, while the phone may be sending its BYE), a hang-up from the desk with the
/// supervisor's barge, listen or whisper fired at the same moment through the REST API, a consult
/// completed or cancelled, or a transfer and a hang-up at once. Refusals (a HubException with the reason)
/// are counted, never failed; any other exception thrown by a hub method is a failure the test reports.
/// </summary>
internal sealed class TortureDesks(
    ConcurrentDictionary<string, int> outcomes,
    ConcurrentDictionary<string, string> reasons,
    HttpClient rest,
    string supervisor,
    string[] targets) : IAsyncDisposable
{
    private readonly List<HubConnection> _connections = [];
    private readonly ConcurrentDictionary<Task, bool> _inFlight = new();
    private readonly ConcurrentDictionary<string, bool> _acted = new();
    private volatile bool _stopped;

    public async Task SignInAsync(PlatformProcess platform, string extension, Random random)
    {
        var desk = await DeskHubCallTests.SignedInHubAsync(platform, extension, "demo-" + extension);
        _connections.Add(desk);
        desk.On<JsonElement>("callState", state => OnCallState(desk, extension, random, state));
    }

    /// <summary>Fires nothing new and waits for what is under way.</summary>
    public async Task StopAsync()
    {
        _stopped = true;
        await Task.WhenAll(_inFlight.Keys).WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        _stopped = true;
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    private void OnCallState(HubConnection desk, string extension, Random random, JsonElement state)
    {
        var callId = state.GetProperty("callId").GetString();
        var phase = state.GetProperty("state").GetString();
        // Once per call and phase: a resume sends "talking" again, and that must not start another round.
        if (_stopped || callId is null || !_acted.TryAdd($"{extension} {callId} {phase}", true))
        {
            return;
        }

        lock (random)
        {
            if (phase == "ringing")
            {
                if (random.Next(100) < 20)
                {
                    // Inside the 2 s ring timeout: the offer is withdrawn while the phone may be answering.
                    var at = random.Next(0, 1500);
                    Track(HubAsync("offered→break", () => desk.InvokeAsync<JsonElement>("setState", "break", "torture"), at));
                    Track(HubAsync("→available", () => desk.InvokeAsync<JsonElement>("setState", "available", null), at + random.Next(200, 1500)));
                }

                return;
            }

            if (phase != "talking")
            {
                return;
            }

            var roll = random.Next(100);
            var target = random.Next(4) == 0 ? "general" : targets[random.Next(targets.Length)];
            var later = random.Next(200, 2000);
            if (roll < 18)
            {
                var at = random.Next(0, 600);
                Track(HubAsync("hold", () => desk.InvokeAsync<JsonElement>("hold", callId), at));
                Track(HubAsync("resume", () => desk.InvokeAsync<JsonElement>("resume", callId), at + later));
            }
            else if (roll < 38)
            {
                // 0–0.9 s after the answer: a phone in behaviour 5 sends its BYE in the same window.
                Track(HubAsync("transfer", () => desk.InvokeAsync<JsonElement>("transfer", callId, target), random.Next(0, 900)));
            }
            else if (roll < 52)
            {
                // The desk hangs up while the supervisor joins: the monitor leg is set up for a call that is ending.
                var at = random.Next(0, 1500);
                var mode = new[] { "barge", "listen", "whisper" }[random.Next(3)];
                Track(HubAsync("hangUp", () => desk.InvokeAsync<JsonElement>("hangUp", callId), at));
                Track(MonitorAsync(callId, mode, Math.Max(0, at + random.Next(-40, 40))));
            }
            else if (roll < 62)
            {
                var at = random.Next(0, 600);
                Track(HubAsync("consult", () => desk.InvokeAsync<JsonElement>("consult", callId, target), at));
                Track(random.Next(2) == 0
                    ? HubAsync("completeConsult", () => desk.InvokeAsync<JsonElement>("completeConsult", callId), at + later)
                    : HubAsync("cancelConsult", () => desk.InvokeAsync<JsonElement>("cancelConsult", callId), at + later));
            }
            else if (roll < 68)
            {
                // Two commands from one desk on one call at once.
                var at = random.Next(0, 900);
                Track(HubAsync("transfer", () => desk.InvokeAsync<JsonElement>("transfer", callId, target), at));
                Track(HubAsync("hangUp", () => desk.InvokeAsync<JsonElement>("hangUp", callId), at));
            }
        }
    }

    private void Track(Task task)
    {
        _inFlight[task] = true;
        _ = task.ContinueWith(t => _inFlight.TryRemove(t, out _), TaskScheduler.Default);
    }

    private async Task HubAsync(string name, Func<Task<JsonElement>> invoke, int delayMs)
    {
        var key = "desk " + name;
        try
        {
            await Task.Delay(delayMs);
            await invoke();
            Count(key + " ok");
        }
        catch (HubException e) when (!e.Message.Contains("HubException:", StringComparison.Ordinal) && e.Message.Contains("unexpected error", StringComparison.OrdinalIgnoreCase))
        {
            // The hub method threw something other than its refusal (a HubException, which the platform's
            // detailed errors show as "… HubException: reason"): a 500 of the hub.
            Count(key + " 500");
            reasons.TryAdd(key + " 500", e.Message);
        }
        catch (HubException e)
        {
            Count(key + " refused");
            reasons.TryAdd(key + " refused", e.Message);
        }
        catch (Exception e) when (e is InvalidOperationException or TaskCanceledException or IOException)
        {
            Count($"{key} {e.GetType().Name}");
        }
    }

    private async Task MonitorAsync(string callId, string mode, int delayMs)
    {
        try
        {
            await Task.Delay(delayMs);
            using var body = new StringContent(JsonSerializer.Serialize(new { mode, extension = supervisor }), Encoding.UTF8, "application/json");
            using var response = await rest.PostAsync($"api/calls/{callId}/monitor", body);
            Count($"desk-hangUp×monitor {(int)response.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Count($"desk-hangUp×monitor {e.GetType().Name}");
        }
    }

    private void Count(string key) => outcomes.AddOrUpdate(key, 1, (_, n) => n + 1);
}
