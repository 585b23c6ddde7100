using CallCenter.AgentDesk.Queues;
using CallCenter.ResourceControl.Routing;

namespace CallCenter.ResourceControl.Queues;

/// <summary>
/// The ACD in the running platform: callers the IVR hands over wait here in tier order (the
/// <see cref="AcdRouter"/>, which is not thread-safe, behind one lock). Offering calls to agents
/// and bridging them come with the B2BUA; until then callers wait with music on hold and the
/// queues are visible on GET /api/queues.
/// </summary>
internal sealed partial class AcdQueues(RoutingOptions options, TimeProvider time, ILogger<AcdQueues> logger) : IQueueStates
{
    private readonly Lock _gate = new();
    private readonly AcdRouter _router = new(options);
    private readonly HashSet<string> _queuesSeen = new(options.Queues.Keys, StringComparer.OrdinalIgnoreCase);

    /// <summary>Puts a caller in the queue the IVR chose; the explanation of any overflow is logged.</summary>
    public void Enqueue(WaitingCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        EnqueueOutcome outcome;
        lock (_gate)
        {
            _queuesSeen.Add(call.Queue);
            outcome = _router.Enqueue(call, time.GetUtcNow());
        }

        foreach (var overflow in outcome.Overflows)
        {
            LogOverflow(logger, call.Id, overflow.ToString());
        }

        LogEnqueued(logger, call.Id, outcome.WaitingIn ?? call.Queue, call.Tier ?? "ordinary");
    }

    /// <summary>The caller left (hung up, or the call ended otherwise).</summary>
    public void Remove(string callId)
    {
        lock (_gate)
        {
            _router.Remove(callId);
        }
    }

    public IReadOnlyList<QueueView> List()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            return
            [
                .. _queuesSeen.Order(StringComparer.Ordinal)
                    .Select(id => _router.Snapshot(id, now))
                    .Select(s => new QueueView(s.Id, s.Waiting, s.WaitingByTier, s.LongestWaitSeconds, s.AgentsAvailable)),
            ];
        }
    }

    [LoggerMessage(2600, LogLevel.Information, "Call {CallId} waits in queue {Queue} ({Tier})")]
    private static partial void LogEnqueued(ILogger logger, string callId, string queue, string tier);

    [LoggerMessage(2601, LogLevel.Information, "Call {CallId} overflow: {Decision}")]
    private static partial void LogOverflow(ILogger logger, string callId, string decision);
}
