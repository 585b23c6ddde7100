using System.Text.Json;
using CallCenter.Contracts.Metrics;
using CallCenter.Data.Events;
using CallCenter.ResourceControl.Agents;

namespace CallCenter.ResourceControl.Metrics;

/// <summary>
/// Occupancy from the agents' state changes (events of kind <see cref="AgentStateKind"/>, detail
/// <c>{"from": ..., "to": ...}</c> in the names of <see cref="AgentStatusText.ToApi(AgentStatus)"/>): busy time
/// (offered, on a call, wrap-up, an e-mail task) / staffed time (those and available).
/// </summary>
internal static class OccupancyCalculator
{
    public static readonly string AgentStateKind = EventKind.AgentState.Value;

    private static readonly string _offline = AgentStatusText.ToApi(AgentStatus.Offline);
    private static readonly string _available = AgentStatusText.ToApi(AgentStatus.Available);

    private static readonly HashSet<string> _busy =
    [
        AgentStatusText.ToApi(AgentStatus.Offered),
        AgentStatusText.ToApi(AgentStatus.OnCall),
        AgentStatusText.ToApi(AgentStatus.WrapUp),
        AgentStatusText.Email,
    ];

    /// <summary>
    /// Each agent's spans over [<paramref name="from"/>, <paramref name="end"/>). The state at
    /// <paramref name="from"/> is the last change before it among <paramref name="events"/> (the caller
    /// passes some time before the period), else the "from" of the agent's first change from then on,
    /// else offline. Events of other kinds, without an agent, or with a detail that does not parse are skipped.
    /// </summary>
    public static Dictionary<string, List<StateSpan>> Timelines(IEnumerable<PlatformEvent> events, DateTimeOffset from, DateTimeOffset end)
    {
        var timelines = new Dictionary<string, List<StateSpan>>(StringComparer.Ordinal);
        var changes = events
            .Where(e => e.Kind == AgentStateKind && e.Agent is not null)
            .Select(e => (Event: e, Change: Parse(e.Detail)))
            .Where(c => c.Change is not null)
            .OrderBy(c => c.Event.At)
            .ThenBy(c => c.Event.Seq)
            .GroupBy(c => c.Event.Agent!, StringComparer.Ordinal);
        foreach (var agent in changes)
        {
            var list = agent.ToList();
            var before = list.LastOrDefault(c => c.Event.At < from);
            var firstInPeriod = list.FirstOrDefault(c => c.Event.At >= from);
            var state = before.Change?.To ?? firstInPeriod.Change?.From ?? _offline;
            var cursor = from;
            var spans = new List<StateSpan>();
            foreach (var (e, change) in list.Where(c => c.Event.At >= from && c.Event.At < end))
            {
                Add(spans, cursor, e.At, state);
                cursor = e.At;
                state = change!.To ?? _offline;
            }

            Add(spans, cursor, end, state);
            timelines[agent.Key] = spans;
        }

        return timelines;
    }

    /// <summary>Occupancy over [<paramref name="from"/>, <paramref name="to"/>): overall, and per agent staffed in it.</summary>
    public static OccupancyFigures Measure(IReadOnlyDictionary<string, List<StateSpan>> timelines, DateTimeOffset from, DateTimeOffset to)
    {
        var byAgent = new SortedDictionary<string, AgentOccupancy>(StringComparer.Ordinal);
        double staffedTotal = 0, busyTotal = 0;
        foreach (var (agent, spans) in timelines)
        {
            double staffed = 0, busy = 0;
            foreach (var span in spans)
            {
                var overlap = Overlap(span, from, to);
                staffed += span.Staffed ? overlap : 0;
                busy += span.Busy ? overlap : 0;
            }

            if (staffed > 0)
            {
                byAgent[agent] = new AgentOccupancy(staffed, busy, busy / staffed);
                staffedTotal += staffed;
                busyTotal += busy;
            }
        }

        return new OccupancyFigures(new AgentOccupancy(staffedTotal, busyTotal, CallTally.Ratio(busyTotal, staffedTotal)), byAgent);
    }

    private static void Add(List<StateSpan> spans, DateTimeOffset from, DateTimeOffset to, string state)
    {
        if (to > from)
        {
            var busy = _busy.Contains(state);
            spans.Add(new StateSpan(from, to, busy || state == _available, busy));
        }
    }

    private static double Overlap(StateSpan span, DateTimeOffset from, DateTimeOffset to)
    {
        var start = span.From > from ? span.From : from;
        var end = span.To < to ? span.To : to;
        return end > start ? (end - start).TotalSeconds : 0;
    }

    private static StateChange? Parse(string? detail)
    {
        if (detail is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<StateChange>(detail, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record StateChange(string? From, string? To);
}
