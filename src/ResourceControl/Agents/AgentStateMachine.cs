namespace CallCenter.ResourceControl.Agents;

/// <summary>
/// The agent presence rules as a pure function: <see cref="Handle"/> takes a state, an event and the time, and
/// returns the next state with the effects for the shell (timers, re-offering a call, the wallboard). It never
/// throws for an event that does not fit; it refuses it with a reason instead.
/// </summary>
/// <remarks>
/// Decisions: an unregistered phone while available (or ringing) makes the agent Offline with the reason
/// "phone unregistered", since the agent cannot be reached at all, and Offline is what <c>GET /api/agents</c>
/// shows for an unreachable agent; a break or sign-off asked for during a call (by the agent or a supervisor)
/// is kept as <see cref="AgentState.Pending"/> and taken when wrap-up ends, so a call is never cut off by presence;
/// a rejected offer counts as missed like a timed-out one, and both put the agent at the back of the idle line.
/// </remarks>
internal sealed class AgentStateMachine(AgentOptions options)
{
    public const string NoAnswerReason = "no answer";
    public const string PhoneUnregisteredReason = "phone unregistered";
    public const string SignedOutReason = "signed out";
    public const string SupervisorReason = "set by supervisor";

    public AgentOptions Options { get; } = options;

    public AgentTransition Handle(AgentState state, AgentEvent e, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(e);
        return e switch
        {
            AgentEvent.DeskLogin => Done(state, state with { LoggedIn = true }, []),
            AgentEvent.DeskLogout => DeskLogout(state, now),
            AgentEvent.PhoneRegistered => Done(state, state with { Registered = true }, []),
            AgentEvent.PhoneUnregistered => PhoneUnregistered(state, now),
            AgentEvent.SetAvailable => MakeAvailable(state, now),
            AgentEvent.SetBreak b => RequestAway(state, AgentStatus.Break, string.IsNullOrWhiteSpace(b.Reason) ? "break" : b.Reason, now),
            AgentEvent.SetOffline => RequestAway(state, AgentStatus.Offline, SignedOutReason, now),
            AgentEvent.Offer o => Offer(state, o, now),
            AgentEvent.OfferAnswered a => Answered(state, a.CallId, now),
            AgentEvent.OfferRejected r => Missed(state, r.CallId, now, cancelRingTimer: true),
            AgentEvent.OfferTimedOut t => Missed(state, t.CallId, now, cancelRingTimer: false),
            AgentEvent.CallEnded c => CallEnded(state, c.CallId, now),
            AgentEvent.WrapUpDone => state.Status == AgentStatus.WrapUp
                ? LeaveWrapUp(state, now, [new AgentEffect.CancelTimer(AgentTimerKind.WrapUp)])
                : Refuse(state, $"agent {state.Extension} is {Describe(state.Status)}, not in wrap-up"),
            AgentEvent.WrapUpExpired w => WrapUpExpired(state, w.CallId, now),
            AgentEvent.SupervisorSetState s => Supervisor(state, s, now),
            AgentEvent.EmailTaskTaken t => EmailTaskTaken(state, t.TaskId, now),
            AgentEvent.EmailTaskReleased r => EmailTaskReleased(state, r.TaskId, now),
            _ => Refuse(state, $"unknown agent event {e.GetType().Name}"),
        };
    }

    /// <summary>How a status reads in a refusal ("on a call").</summary>
    public static string Describe(AgentStatus status) => status switch
    {
        AgentStatus.Offline => "offline",
        AgentStatus.Available => "available",
        AgentStatus.Offered => "ringing with a call",
        AgentStatus.OnCall => "on a call",
        AgentStatus.WrapUp => "in wrap-up",
        AgentStatus.Break => "on break",
        _ => status.ToString(),
    };

    private AgentTransition DeskLogout(AgentState state, DateTimeOffset now)
    {
        var loggedOut = state with { LoggedIn = false };
        return state.Status switch
        {
            AgentStatus.Offered => Withdraw(loggedOut, AgentStatus.Offline, SignedOutReason, now),
            // The conversation goes on at the phone; the agent signs off once it is over.
            AgentStatus.OnCall => Done(state, loggedOut with { Pending = new AgentPending(AgentStatus.Offline, SignedOutReason) }, []),
            // Wrap-up is desk work: without the desk it is over.
            AgentStatus.WrapUp => Done(state, Enter(loggedOut, AgentStatus.Offline, now) with { Reason = SignedOutReason }, [new AgentEffect.CancelTimer(AgentTimerKind.WrapUp)]),
            AgentStatus.Offline => Done(state, loggedOut, []),
            _ => Done(state, Enter(loggedOut, AgentStatus.Offline, now) with { Reason = SignedOutReason }, []),
        };
    }

    private AgentTransition PhoneUnregistered(AgentState state, DateTimeOffset now)
    {
        var unregistered = state with { Registered = false };
        return state.Status switch
        {
            AgentStatus.Available => Done(state, Enter(unregistered, AgentStatus.Offline, now) with { Reason = PhoneUnregisteredReason }, []),
            AgentStatus.Offered => Withdraw(unregistered, AgentStatus.Offline, PhoneUnregisteredReason, now),
            // A call in progress keeps its dialog; leaving wrap-up sees the missing registration.
            _ => Done(state, unregistered, []),
        };
    }

    private AgentTransition MakeAvailable(AgentState state, DateTimeOffset now)
    {
        if (!state.Registered)
        {
            return Refuse(state, $"the phone of agent {state.Extension} is not registered, so the agent cannot be available");
        }

        return state.Status switch
        {
            // Already available (or ringing): nothing changes, and the idle time is kept for longest-idle routing.
            AgentStatus.Available or AgentStatus.Offered => Done(state, state, []),
            AgentStatus.OnCall => Done(state, state with { Pending = null }, []),
            AgentStatus.WrapUp => LeaveWrapUp(state with { Pending = null }, now, [new AgentEffect.CancelTimer(AgentTimerKind.WrapUp)]),
            _ => Done(state, Enter(state, AgentStatus.Available, now) with { MissedOffers = 0, Pending = null }, []),
        };
    }

    private AgentTransition RequestAway(AgentState state, AgentStatus target, string reason, DateTimeOffset now)
    {
        switch (state.Status)
        {
            case AgentStatus.OnCall or AgentStatus.WrapUp:
                return Done(state, state with { Pending = new AgentPending(target, reason) }, []);
            case AgentStatus.Offered:
                return Withdraw(state, target, reason, now);
            default:
                if (state.Status == target && state.Reason == reason)
                {
                    return Done(state, state, []);
                }

                return Done(state, Enter(state, target, now) with { Reason = reason }, []);
        }
    }

    private AgentTransition Supervisor(AgentState state, AgentEvent.SupervisorSetState s, DateTimeOffset now)
    {
        var reason = string.IsNullOrWhiteSpace(s.Reason) ? SupervisorReason : s.Reason;
        return s.Status switch
        {
            AgentStatus.Available => MakeAvailable(state, now),
            AgentStatus.Break or AgentStatus.Offline => RequestAway(state, s.Status, reason, now),
            _ => Refuse(state, $"a supervisor can set agent {state.Extension} only to available, break or offline, not {Describe(s.Status)}"),
        };
    }

    private AgentTransition Offer(AgentState state, AgentEvent.Offer offer, DateTimeOffset now)
    {
        if (state.Status != AgentStatus.Available)
        {
            return Refuse(state, $"agent {state.Extension} is {Describe(state.Status)}; a call can be offered only to an available agent");
        }

        if (state.EmailTask is { } task)
        {
            return Refuse(state, $"agent {state.Extension} is handling e-mail task {task}; a call can be offered only to an available agent");
        }

        if (string.IsNullOrEmpty(offer.CallId))
        {
            return Refuse(state, "an offer needs a call id");
        }

        var ring = offer.RingTimeout ?? Options.RingTimeout;
        if (ring <= TimeSpan.Zero)
        {
            return Refuse(state, $"the ring timeout must be positive, not {ring}");
        }

        var next = Enter(state, AgentStatus.Offered, now) with { CallId = offer.CallId, Until = now + ring };
        return Done(state, next, [new AgentEffect.StartTimer(AgentTimerKind.Ring, ring, offer.CallId)]);
    }

    private static AgentTransition Answered(AgentState state, string? callId, DateTimeOffset now)
    {
        if (NotTheOfferedCall(state, callId) is { } refusal)
        {
            return Refuse(state, refusal);
        }

        var day = AgentState.DayOf(now);
        var next = Enter(state, AgentStatus.OnCall, now) with
        {
            CallId = state.CallId,
            MissedOffers = 0,
            CallsAnswered = state.CallsDay == day ? state.CallsAnswered + 1 : 1,
            CallsDay = day,
        };
        return Done(state, next, [new AgentEffect.CancelTimer(AgentTimerKind.Ring)]);
    }

    private AgentTransition Missed(AgentState state, string? callId, DateTimeOffset now, bool cancelRingTimer)
    {
        if (NotTheOfferedCall(state, callId) is { } refusal)
        {
            return Refuse(state, refusal);
        }

        var missed = state.MissedOffers + 1;
        List<AgentEffect> effects = cancelRingTimer ? [new AgentEffect.CancelTimer(AgentTimerKind.Ring)] : [];
        effects.Add(new AgentEffect.OfferNextAgent(state.CallId!, state.Extension));
        // Back to available at the back of the idle line (Since = now), or a break after too many misses in a row:
        // an agent who left the desk without saying so should not keep callers ringing.
        var next = missed >= Options.MaxMissedOffers
            ? Enter(state, AgentStatus.Break, now) with { Reason = NoAnswerReason, MissedOffers = missed }
            : Enter(state, AgentStatus.Available, now) with { MissedOffers = missed };
        return Done(state, next, effects);
    }

    private AgentTransition CallEnded(AgentState state, string? callId, DateTimeOffset now)
    {
        if (callId is not null && state.CallId is not null && callId != state.CallId)
        {
            return Refuse(state, $"call {callId} is not the call of agent {state.Extension} ({state.CallId})");
        }

        switch (state.Status)
        {
            case AgentStatus.Offered:
                // The caller hung up while the agent's phone rang: not the agent's miss.
                return Done(state, Enter(state, AgentStatus.Available, now), [new AgentEffect.CancelTimer(AgentTimerKind.Ring)]);
            case AgentStatus.OnCall:
                var wrapUp = Options.WrapUp;
                if (wrapUp <= TimeSpan.Zero)
                {
                    return LeaveWrapUp(state, now, []);
                }

                var next = Enter(state, AgentStatus.WrapUp, now) with { CallId = state.CallId, Until = now + wrapUp };
                return Done(state, next, [new AgentEffect.StartTimer(AgentTimerKind.WrapUp, wrapUp, state.CallId!)]);
            default:
                return Refuse(state, $"agent {state.Extension} is {Describe(state.Status)}; there is no call to end");
        }
    }

    private static AgentTransition WrapUpExpired(AgentState state, string? callId, DateTimeOffset now)
    {
        if (state.Status != AgentStatus.WrapUp)
        {
            return Refuse(state, $"stale wrap-up timer: agent {state.Extension} is {Describe(state.Status)}");
        }

        if (callId is not null && callId != state.CallId)
        {
            return Refuse(state, $"stale wrap-up timer for call {callId}: agent {state.Extension} is wrapping up call {state.CallId}");
        }

        return LeaveWrapUp(state, now, []);
    }

    /// <summary>
    /// An accepted e-mail task is a fact, recorded in any state. An available agent starts the task's time
    /// in state (the wallboard shows them busy with e-mail); on a call or in wrap-up nothing else changes.
    /// </summary>
    private static AgentTransition EmailTaskTaken(AgentState state, string taskId, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(taskId))
        {
            return Refuse(state, "an e-mail task needs an id");
        }

        if (state.EmailTask == taskId)
        {
            return Done(state, state, []);
        }

        var next = state.Status == AgentStatus.Available ? state with { Since = now } : state;
        return Done(state, next with { EmailTask = taskId }, []);
    }

    /// <summary>
    /// The task is done or given back: the agent is free for calls again, at the back of the idle line (as
    /// after a call) when available. A release of another task than the one held is stale and changes nothing.
    /// </summary>
    private static AgentTransition EmailTaskReleased(AgentState state, string? taskId, DateTimeOffset now)
    {
        if (state.EmailTask is null || (taskId is not null && taskId != state.EmailTask))
        {
            return Done(state, state, []);
        }

        var next = state.Status == AgentStatus.Available ? state with { Since = now } : state;
        return Done(state, next with { EmailTask = null }, []);
    }

    /// <summary>After a call: the pending state if one was asked for, else available if the phone is still there.</summary>
    private static AgentTransition LeaveWrapUp(AgentState state, DateTimeOffset now, List<AgentEffect> effects)
    {
        var next = state.Pending switch
        {
            { } pending => Enter(state, pending.Status, now) with { Reason = pending.Reason },
            null when !state.Registered => Enter(state, AgentStatus.Offline, now) with { Reason = PhoneUnregisteredReason },
            null => Enter(state, AgentStatus.Available, now),
        };
        return Done(state, next with { Pending = null }, effects);
    }

    /// <summary>The ringing call goes to the next agent and this one moves to <paramref name="target"/>; not a miss.</summary>
    private static AgentTransition Withdraw(AgentState state, AgentStatus target, string reason, DateTimeOffset now)
    {
        var callId = state.CallId!;
        var next = Enter(state, target, now) with { Reason = reason };
        return Done(state, next, [new AgentEffect.CancelTimer(AgentTimerKind.Ring), new AgentEffect.OfferNextAgent(callId, state.Extension)]);
    }

    private static string? NotTheOfferedCall(AgentState state, string? callId)
    {
        if (state.Status != AgentStatus.Offered)
        {
            return $"agent {state.Extension} is {Describe(state.Status)}; no call is ringing";
        }

        return callId is not null && callId != state.CallId
            ? $"call {callId} is not the call ringing on agent {state.Extension} ({state.CallId})"
            : null;
    }

    /// <summary>A fresh entry into <paramref name="status"/>: the clock of time-in-state restarts and per-state data is cleared.</summary>
    private static AgentState Enter(AgentState state, AgentStatus status, DateTimeOffset now) =>
        state with { Status = status, Since = now, CallId = null, Until = null, Reason = null };

    private static AgentTransition Done(AgentState previous, AgentState next, List<AgentEffect> effects)
    {
        if (next != previous)
        {
            effects.Add(new AgentEffect.PublishState(previous, next));
        }

        return new AgentTransition(next, effects, null);
    }

    private static AgentTransition Refuse(AgentState state, string reason) => AgentTransition.Refuse(state, reason);
}
