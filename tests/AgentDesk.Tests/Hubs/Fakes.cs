using System.Collections.Concurrent;
using CallCenter.Contracts.Agents;
using CallCenter.Contracts.Calls;
using CallCenter.Contracts.Metrics;
using CallCenter.Contracts.Queues;
using CallCenter.TestSupport;
using Microsoft.Extensions.Logging;

namespace CallCenter.AgentDesk.Tests.Hubs;

/// <summary>The roster as the host would keep it: tests set agents' states; requests are recorded and taken.</summary>
internal sealed class FakeAgents : IAgentStates
{
    private readonly ConcurrentDictionary<string, AgentSnapshot> _agents = new();

    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>When set, a state asked for is accepted for after the agent's call another node holds, with this message.</summary>
    public string? AfterCall { get; set; }

    public void Set(string id, string state, string? callId = null) =>
        _agents[id] = new AgentSnapshot(id, state, true, DateTimeOffset.UnixEpoch, null, callId);

    public IReadOnlyList<AgentSnapshot> List() => [.. _agents.Values.OrderBy(a => a.Id, StringComparer.Ordinal)];

    public void HoldEmailTasks(IReadOnlyDictionary<string, string> acceptedByAgent)
    {
    }

    public AgentStateChange Request(string id, string state, string? reason)
    {
        Requests.Enqueue($"{id} {state} {reason}".Trim());
        if (!_agents.TryGetValue(id, out var agent))
        {
            return new AgentStateChange(null, AgentStateChangeError.UnknownAgent, null);
        }

        if (state is not ("available" or "break" or "offline"))
        {
            return new AgentStateChange(null, AgentStateChangeError.UnknownState, "unknown state");
        }

        if (AfterCall is { } message)
        {
            return new AgentStateChange(agent, AgentStateChangeError.None, message) { AfterCall = true };
        }

        var changed = agent with { State = state, Reason = reason };
        _agents[id] = changed;
        return new AgentStateChange(changed, AgentStateChangeError.None, null);
    }
}

/// <summary>The host's call control: every request is recorded and done, unless the test set a refusal.</summary>
internal sealed class FakeDeskCalls : IDeskCalls, ICallControl
{
    public ConcurrentQueue<string> Asked { get; } = new();

    public CallControlResult Next { get; set; } = new(CallControlError.None, "done");

    public Task<CallControlResult> HoldAsync(string callId) => Do($"hold {callId}");

    public Task<CallControlResult> ResumeAsync(string callId) => Do($"resume {callId}");

    public Task<CallControlResult> HangUpAsync(string callId) => Do($"hang-up {callId}");

    public Task<CallControlResult> WrapUpAsync(string agent, string callId, string code, string? notes) => Do($"wrap-up {agent} {callId} {code} {notes}");

    public Task<CallControlResult> DialAsync(string agent, string number) => Do($"dial {agent} {number}");

    public Task<CallControlResult> TransferAsync(string callId, string target) => Do($"transfer {callId} {target}");

    public Task<CallControlResult> ConsultAsync(string callId, string target) => Do($"consult {callId} {target}");

    public Task<CallControlResult> CompleteConsultAsync(string callId) => Do($"complete {callId}");

    public Task<CallControlResult> CancelConsultAsync(string callId) => Do($"cancel {callId}");

    private Task<CallControlResult> Do(string what)
    {
        Asked.Enqueue(what);
        return Task.FromResult(Next);
    }
}

/// <summary>
/// The host's callbacks for the wallboard: every request recorded as "book by number at queue owner", "cancel by id" or
/// "waiting limit"; booked or cancelled unless the test set the next answer (a refusal with its status and reason).
/// </summary>
internal sealed class FakeSupervisorCallbacks : ISupervisorCallbacks
{
    public ConcurrentQueue<string> Asked { get; } = new();

    public DeskCallbackResult? NextBooking { get; set; }

    public DeskCallbackResult? NextCancel { get; set; }

    public IReadOnlyList<WaitingCallback> Waiting { get; set; } = [];

    public Task<DeskCallbackResult> BookAsync(string by, string number, string? at, string? queue, string? owner, CancellationToken cancellationToken)
    {
        Asked.Enqueue($"book {by} {number} {at} {queue ?? "-"} {owner ?? "-"}");
        return Task.FromResult(NextBooking ?? new DeskCallbackResult(201, "booked",
            new DeskCallback("cb-1", number.Replace(" ", "", StringComparison.Ordinal), queue ?? "general", DateTimeOffset.Parse(at!, System.Globalization.CultureInfo.InvariantCulture), "scheduled", 0, null)));
    }

    public Task<DeskCallbackResult> CancelAsync(string by, string id, CancellationToken cancellationToken)
    {
        Asked.Enqueue($"cancel {by} {id}");
        return Task.FromResult(NextCancel ?? new DeskCallbackResult(200, "cancelled", new DeskCallback(id, "13900000051", "general", null, "cancelled", 0, null)));
    }

    public Task<IReadOnlyList<WaitingCallback>> WaitingAsync(int limit, CancellationToken cancellationToken)
    {
        Asked.Enqueue($"waiting {limit}");
        return Task.FromResult<IReadOnlyList<WaitingCallback>>([.. Waiting.Take(limit)]);
    }
}

/// <summary>The messaging room's received faxes still to handle, as the test sets them; <see cref="Fail"/> makes the read throw.</summary>
internal sealed class FakeFaxTasks : CallCenter.Contracts.Desk.IFaxTaskCounts
{
    private volatile CallCenter.Contracts.Desk.FaxTaskCount _now = new(0, null);
    private volatile Exception? _fail;

    public int Reads;

    public CallCenter.Contracts.Desk.FaxTaskCount Now
    {
        get => _now;
        set => _now = value;
    }

    public Exception? Fail
    {
        get => _fail;
        set => _fail = value;
    }

    public Task<CallCenter.Contracts.Desk.FaxTaskCount> CountAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Reads);
        return _fail is { } e ? Task.FromException<CallCenter.Contracts.Desk.FaxTaskCount>(e) : Task.FromResult(_now);
    }
}

internal sealed class FakeQueues : IQueueStates, IQueuePicks
{
    private volatile IReadOnlyList<QueueView> _queues = [];

    public ConcurrentQueue<string> Picked { get; } = new();

    public QueuePickResult NextPick { get; set; } = new(QueuePickError.None, "rung");

    public void Set(params QueueView[] queues) => _queues = queues;

    public IReadOnlyList<QueueView> List() => _queues;

    public Task<QueuePickResult> PickAsync(string callId, string agent, string pickedBy)
    {
        Picked.Enqueue($"{callId} {agent} {pickedBy}");
        return Task.FromResult(NextPick);
    }
}

/// <summary>Today's figures: queue "general" with 10 offered, 8 answered, 2 abandoned, service level 0.75.</summary>
internal sealed class FakeMetrics(TimeProvider time) : IMetricsReports
{
    public int Computed;

    public static readonly MetricFigures General = new(10, 8, 2, 6, 1, 0.75, 0.7, 12, 0.2, 180);

    public Task<MetricsReport> ComputeAsync(DateOnly? date, int? intervalMinutes, int? serviceLevelSeconds, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Computed);
        var now = time.GetUtcNow();
        var from = new DateTimeOffset(now.Date, TimeSpan.Zero);
        var empty = new Dictionary<string, MetricFigures>();
        var occupancy = new OccupancyFigures(new AgentOccupancy(0, 0, null), new Dictionary<string, AgentOccupancy>());
        var intervals = new[] { new MetricsInterval(from, from.AddMinutes(15), General, empty, empty, occupancy) };
        return Task.FromResult(new MetricsReport(from, from.AddDays(1), now, 20, 15, new Dictionary<string, string>(), General,
            new Dictionary<string, MetricFigures> { ["general"] = General }, empty, intervals, occupancy)
        { VipLineTurnedAway = 3 });
    }
}

/// <summary>Log lines into a queue, as "Level: message".</summary>
internal sealed class LineLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new LineLogger(lines);

    public void Dispose()
    {
    }

    private sealed class LineLogger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
    }
}
