namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// Where a call stands in its life, as one immutable value its loop replaces (<see cref="ActiveCall.Lifecycle"/>):
/// whether it counts against its source's share (<paramref name="Admitted"/>), whether its caller id came from a
/// trusted peer (<paramref name="CallerVerified"/>), whether the caller's ACK came (<paramref name="Confirmed"/>),
/// whether the directory's answer was taken (<paramref name="Identified"/>), and whether it has ended. Changed
/// only by the pure steps here and in <see cref="CallerLeg"/>.
/// </summary>
public readonly record struct CallLifecycle(bool Confirmed = false, bool Identified = false, bool Ended = false, bool Admitted = false, bool CallerVerified = false)
{
    /// <summary>
    /// An INVITE answered: a caller from outside the trusted peers (<paramref name="trusted"/> false) counts against
    /// its source's share and is an unknown caller; so is one the trusted proxy marked as not from its carriers.
    /// </summary>
    public static CallLifecycle Answered(bool trusted, bool marked) => new(Admitted: !trusted, CallerVerified: trusted && !marked);

    /// <summary>
    /// A call the platform placed (a callback, a sent fax): there is no caller's ACK to wait for. A sent fax
    /// (<paramref name="identified"/>) has no caller to look up either.
    /// </summary>
    public static CallLifecycle Placed(bool identified) => new(Confirmed: true, Identified: identified);

    /// <summary>The call ends: true the first time only (its records and agent effects are done once).</summary>
    public static (CallLifecycle State, bool First) End(CallLifecycle state) => state.Ended ? (state, false) : (state with { Ended = true }, true);

    /// <summary>The directory's answer was taken (<see cref="ActiveCall.Apply"/>): by the caller's leg, by a placed call, or for the record after the call ended.</summary>
    public static CallLifecycle Identify(CallLifecycle state) => state with { Identified = true };
}

/// <summary>What happens to the caller's leg before the IVR runs.</summary>
public enum CallerInput
{
    /// <summary>The caller's ACK for our 200.</summary>
    Acknowledged,

    /// <summary>The directory look-up answered (or gave up: an unknown caller).</summary>
    Identified,

    /// <summary>No ACK within 64*T1 (RFC 3261 13.3.1.4).</summary>
    NotConfirmed,
}

/// <summary>What the shell does for one step of the caller's leg.</summary>
[Flags]
public enum CallerActions
{
    None = 0,

    /// <summary>Take the directory's answer into the call (tier, language, pop data).</summary>
    ApplyIdentity = 1,

    /// <summary>Start the hotline's flow: the caller hears it from now on.</summary>
    StartIvr = 2,

    /// <summary>End the call as not confirmed.</summary>
    EndNotConfirmed = 4,
}

/// <summary>
/// The caller's leg from our 200 to the IVR, as a pure function: the flow starts once both the
/// caller's ACK and the directory's answer are in, whichever comes last, exactly once, and never on a
/// call that has ended; the directory's answer is taken once; a call whose ACK never came ends, unless
/// it was confirmed or has ended meanwhile. Nothing here changes whether the call was admitted or its
/// caller id verified.
/// </summary>
public static class CallerLeg
{
    public static (CallLifecycle State, CallerActions Actions) Handle(CallLifecycle state, CallerInput input) => input switch
    {
        CallerInput.Acknowledged when state.Confirmed || state.Ended => (state, CallerActions.None),
        CallerInput.Acknowledged => (state with { Confirmed = true }, state.Identified ? CallerActions.StartIvr : CallerActions.None),
        CallerInput.Identified when state.Identified => (state, CallerActions.None),
        CallerInput.Identified => (state with { Identified = true }, CallerActions.ApplyIdentity | (state.Confirmed && !state.Ended ? CallerActions.StartIvr : CallerActions.None)),
        CallerInput.NotConfirmed when !state.Confirmed && !state.Ended => (state, CallerActions.EndNotConfirmed), // the ending (CallLifecycle.End) marks it ended
        _ => (state, CallerActions.None),
    };
}
