namespace CallCenter.ResourceControl.Calls;

/// <summary>Where the caller's leg stands before the IVR takes over.</summary>
public readonly record struct CallerLegState(bool Confirmed, bool Identified, bool Ended);

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
/// it was confirmed or has ended meanwhile.
/// </summary>
public static class CallerLeg
{
    public static (CallerLegState State, CallerActions Actions) Handle(CallerLegState state, CallerInput input) => input switch
    {
        CallerInput.Acknowledged when state.Confirmed || state.Ended => (state, CallerActions.None),
        CallerInput.Acknowledged => (state with { Confirmed = true }, state.Identified ? CallerActions.StartIvr : CallerActions.None),
        CallerInput.Identified when state.Identified => (state, CallerActions.None),
        CallerInput.Identified => (state with { Identified = true }, CallerActions.ApplyIdentity | (state.Confirmed && !state.Ended ? CallerActions.StartIvr : CallerActions.None)),
        CallerInput.NotConfirmed when !state.Confirmed && !state.Ended => (state with { Ended = true }, CallerActions.EndNotConfirmed),
        _ => (state, CallerActions.None),
    };
}
