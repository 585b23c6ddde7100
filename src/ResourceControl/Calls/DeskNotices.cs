using CallCenter.Contracts.Calls;
using CallCenter.Contracts.Desk;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// What the agents' desks hear of a call (<see cref="IDeskEvents"/>): the screen pop when an agent's
/// phone is rung (<see cref="ScreenPop"/>), then every change of that agent's call, stamped with the
/// platform's time. Called from the call's loop only; the desk side fans the news out.
/// </summary>
internal sealed class DeskNotices(IDeskEvents desk, TimeProvider time, IReadOnlyList<Clients.TierDefinition>? tiers = null)
{
    /// <summary>An agent's phone rings with the call: their pop, then "ringing" (a consulted agent's says "consult").</summary>
    public void Offered(ICallFacts call, string extension, DateTimeOffset offeredAt, bool consult)
    {
        desk.Offered(ScreenPop.Build(call, extension, offeredAt, tiers));
        Changed(call.Id, extension, DeskCallPhase.Ringing, consult ? "consult" : null);
    }

    /// <summary>The agent's call is now in <paramref name="phase"/>; <paramref name="detail"/> says why or with whom.</summary>
    public void Changed(string callId, string extension, DeskCallPhase phase, string? detail) =>
        desk.CallChanged(new DeskCallState(callId, extension, phase, time.GetUtcNow(), detail));
}
