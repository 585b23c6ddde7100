namespace CallCenter.Contracts.Calls;

/// <summary>
/// What the agent desk does to the agent's own call beyond transfers (<see cref="ICallControl"/>); the host
/// implements it over its B2BUA. The desk checks that the call is the signed-in agent's before it asks.
/// </summary>
public interface IDeskCalls
{
    /// <summary>The caller hears music and the agent silence; counted as hold time, like a hold from the phone.</summary>
    Task<CallControlResult> HoldAsync(string callId);

    Task<CallControlResult> ResumeAsync(string callId);

    /// <summary>Ends the call for both sides (BYE to caller and agent); the agent goes to wrap-up.</summary>
    Task<CallControlResult> HangUpAsync(string callId);

    /// <summary>
    /// The agent's wrap-up of <paramref name="callId"/>: an active disposition <paramref name="code"/> and
    /// notes, written to the call's record; ends the agent's wrap-up at once. Also accepted after the
    /// wrap-up time ran out (the record is then updated once, while it has no code).
    /// </summary>
    Task<CallControlResult> WrapUpAsync(string agent, string callId, string code, string? notes);

    /// <summary>
    /// Click-to-dial: <paramref name="agent"/>'s phone rings first (the agent must be available), and once
    /// the agent answers, <paramref name="number"/> is rung through the trunk and bridged on answer. The
    /// number goes through the dial plan first (refused with its reason before anything rings). Done carries
    /// the new call's id in <see cref="CallControlResult.CallId"/>.
    /// </summary>
    Task<CallControlResult> DialAsync(string agent, string number);
}
