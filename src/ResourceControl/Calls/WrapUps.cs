using System.Collections.Concurrent;
using System.Data.Common;
using CallCenter.Contracts.Calls;
using CallCenter.Data.Calls;
using CallCenter.Data.Desk;
using CallCenter.Data.Events;

namespace CallCenter.ResourceControl.Calls;

/// <summary>What wrap-up needs of agents' presence: whether an agent wraps up a call, and ending it.</summary>
internal interface IWrapUpAgents
{
    bool IsWrappingUp(string agent, string callId);

    /// <summary>Ends <paramref name="agent"/>'s wrap-up of <paramref name="callId"/> if that is what they are doing.</summary>
    void EndWrapUp(string agent, string callId);
}

/// <summary>Where finished records go (the record writer).</summary>
internal interface ICallRecordSink
{
    ValueTask EnqueueAsync(CallRecord record);
}

/// <summary>
/// Records and wrap-up: the record of a call an agent answered waits until the agent's wrap-up ends,
/// then goes to the writer once, with the wrap-up's code, notes and length. A wrap-up that comes after
/// the record was written sets the code on the stored record, once. Shutdown writes what still waits.
/// The one owner of the records waiting for a wrap-up; the call's loop hands a record over and forgets it.
/// </summary>
internal sealed class WrapUps(
    IWrapUpAgents agents,
    ICallRecordSink sink,
    CallRecordRepository stored,
    DispositionCodeRepository dispositions,
    Records.EventLog events,
    TimeProvider time,
    Outbound.CallbackOptions? callbackOptions = null)
{
    private readonly Outbound.CallbackOptions _callbackOptions = callbackOptions ?? new();

    // A record handed to the writer may take a moment to reach the database; a late wrap-up waits this long for it.
    private static readonly TimeSpan _recordWait = TimeSpan.FromSeconds(3);

    private readonly ConcurrentDictionary<string, CallRecord> _awaiting = new(StringComparer.Ordinal);

    // The SIP Call-ID of each call waiting, so the work done for it after the call has gone still logs both ids.
    private readonly ConcurrentDictionary<string, string> _sipCallIds = new(StringComparer.Ordinal);

    /// <summary>Records waiting for their agent's wrap-up.</summary>
    public int Waiting => _awaiting.Count;

    /// <summary>The record of a call that ended: held while its agent wraps the call up, else written now.</summary>
    public async Task CallEndedAsync(CallRecord record, string? sipCallId = null)
    {
        if (record.Agent is { } agent && agents.IsWrappingUp(agent, record.Id))
        {
            if (sipCallId is not null)
            {
                _sipCallIds[record.Id] = sipCallId;
            }

            _awaiting[record.Id] = record;

            // The wrap-up may have ended between the look and the store.
            if (!agents.IsWrappingUp(agent, record.Id))
            {
                await WrapUpEndedAsync(record.Id, (time.GetUtcNow() - record.EndedAt).TotalSeconds);
            }

            return;
        }

        await sink.EnqueueAsync(record);
    }

    /// <summary>The SIP Call-ID of a call whose record waits for its wrap-up (for the logs), or null.</summary>
    public string? SipCallIdOf(string callId) => _sipCallIds.GetValueOrDefault(callId);

    /// <summary>The agent's wrap-up ended (the desk, its timer, or a state change): the record goes with its length.</summary>
    public async Task WrapUpEndedAsync(string callId, double seconds)
    {
        if (_awaiting.TryRemove(callId, out var record))
        {
            _sipCallIds.TryRemove(callId, out _);
            await sink.EnqueueAsync(record with { WrapUpSeconds = Math.Max(0, seconds) });
        }
    }

    /// <summary>Shutdown: records still waiting for a wrap-up are written with the wrap-up so far.</summary>
    public async Task FlushAsync()
    {
        foreach (var (callId, record) in _awaiting.ToArray())
        {
            await WrapUpEndedAsync(callId, (time.GetUtcNow() - record.EndedAt).TotalSeconds);
        }
    }

    /// <summary>
    /// The record's outcome after the agent's <paramref name="code"/>: an outbound call the client's side answered
    /// (<c>reached</c>) that the agent says reached a wrong number, or a client who refused, says so; any other stays.
    /// </summary>
    private string? OutcomeAfter(CallRecord record, string code) =>
        record.Direction == CallDirections.Outbound
            ? Outbound.CallbackPlanner.RecordOutcome(record.Outcome, Outbound.CallbackPlanner.AgentOutcomeOf(code, _callbackOptions))
            : record.Outcome;

    /// <summary>Whether <paramref name="agent"/> had the call and transferred it away (their leg in <paramref name="legs"/> says so).</summary>
    public static bool TransferredAway(IReadOnlyList<CallLeg> legs, string agent) =>
        legs.Any(l => l.Role == "agent" && l.Party == agent && l.Outcome == "transferred");

    /// <summary>Refuses a code that is not an active disposition code; null when it may be used.</summary>
    public async Task<CallControlResult?> CheckCodeAsync(string code)
    {
        try
        {
            return (await dispositions.ListAsync(activeOnly: true)).Any(c => c.Code == code)
                ? null
                : new CallControlResult(CallControlError.UnknownTarget, $"\"{code}\" is not an active disposition code");
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            return new CallControlResult(CallControlError.TargetUnavailable, "the disposition codes cannot be read now; try again");
        }
    }

    /// <summary>
    /// The agent left a call that goes on with another agent (a transfer): their code and notes go to the
    /// event log, the record will carry the last agent's wrap-up, and this agent's wrap-up ends. When the agent
    /// transferred the call away (<paramref name="legs"/>, the call's so far) and their code says it reached a wrong
    /// number or a client who refused, that outcome is returned for the call to keep: its record takes it.
    /// </summary>
    public (CallControlResult Result, string? Outcome) WrapUpLeftCall(string agent, string callId, string code, string? notes, IReadOnlyList<CallLeg> legs)
    {
        ArgumentNullException.ThrowIfNull(legs);
        agents.EndWrapUp(agent, callId);
        var outcome = TransferredAway(legs, agent) ? Outbound.CallbackPlanner.AgentOutcomeOf(code, _callbackOptions) : null;
        events.Write(EventKind.CallWrapUp, callId, agent, new { code, notes, transferred = true, outcome });
        return (new CallControlResult(CallControlError.None, $"wrap-up {code} noted; the call goes on without agent {agent}"), outcome);
    }

    /// <summary>The wrap-up of a call that has ended: on the waiting record, or on the stored one while it has no code.</summary>
    public async Task<CallControlResult> WrapUpEndedCallAsync(string agent, string callId, string code, string? notes)
    {
        while (_awaiting.TryGetValue(callId, out var waiting))
        {
            if (waiting.Agent != agent)
            {
                if (!TransferredAway(waiting.Legs, agent))
                {
                    return new CallControlResult(CallControlError.UnknownCall, $"call {callId} is not agent {agent}'s");
                }

                // The agent transferred the call away and it has ended since: the last agent's wrap-up is the record's,
                // this one's wrong number or refusal its outcome.
                if (_awaiting.TryUpdate(callId, waiting with { Outcome = OutcomeAfter(waiting, code) }, waiting))
                {
                    return LeftCallWrappedUp(agent, callId, code, notes);
                }

                continue;
            }

            if (_awaiting.TryUpdate(callId, waiting with { WrapUpCode = code, WrapUpNotes = notes, Outcome = OutcomeAfter(waiting, code) }, waiting))
            {
                // Ending the wrap-up writes the record (presence raises the end, which comes back here).
                var sipCallId = SipCallIdOf(callId);
                agents.EndWrapUp(agent, callId);
                events.Write(EventKind.CallWrapUp, callId, agent, new { code }, sipCallId);
                return new CallControlResult(CallControlError.None, $"wrap-up {code} saved; agent {agent} is available");
            }
        }

        // The record was written (or is on its way to the database): set the code once, while it has none.
        agents.EndWrapUp(agent, callId);
        var deadline = time.GetUtcNow() + _recordWait;
        while (true)
        {
            try
            {
                if (await stored.SetWrapUpAsync(callId, agent, code, notes, Outbound.CallbackPlanner.AgentOutcomeOf(code, _callbackOptions)))
                {
                    events.Write(EventKind.CallWrapUp, callId, agent, new { code, late = true });
                    return new CallControlResult(CallControlError.None, $"wrap-up {code} saved on the record");
                }

                if (await stored.FindAsync(callId) is { } written)
                {
                    if (written.Agent != agent && TransferredAway(written.Legs, agent))
                    {
                        if (Outbound.CallbackPlanner.AgentOutcomeOf(code, _callbackOptions) is { } outcome)
                        {
                            await stored.SetReachedOutcomeAsync(callId, outcome);
                        }

                        return LeftCallWrappedUp(agent, callId, code, notes);
                    }

                    return written.Agent != agent
                        ? new CallControlResult(CallControlError.UnknownCall, $"call {callId} is not agent {agent}'s")
                        : new CallControlResult(CallControlError.TargetUnavailable, $"call {callId} was already wrapped up with {written.WrapUpCode}");
                }
            }
            catch (Exception e) when (e is DbException or TimeoutException)
            {
                return new CallControlResult(CallControlError.TargetUnavailable, "the call's record cannot be updated now; try again");
            }

            if (time.GetUtcNow() >= deadline)
            {
                return new CallControlResult(CallControlError.UnknownCall, $"there is no record of call {callId}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), time);
        }
    }

    private CallControlResult LeftCallWrappedUp(string agent, string callId, string code, string? notes)
    {
        agents.EndWrapUp(agent, callId);
        events.Write(EventKind.CallWrapUp, callId, agent, new { code, notes, transferred = true, outcome = Outbound.CallbackPlanner.AgentOutcomeOf(code, _callbackOptions) });
        return new CallControlResult(CallControlError.None, $"wrap-up {code} noted for the call agent {agent} transferred");
    }
}
