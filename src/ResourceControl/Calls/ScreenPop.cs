using CallCenter.Contracts.Calls;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// What the agent's desk shows when their phone rings with a call (pure): the directory entry where
/// the look-up found one (masked account, branch, manager), else what the call itself knows; the
/// queue and how long the caller waited until this offer; the IVR path with masked keys as the flow
/// recorded them; the caller's last calls with their wrap-ups; whether the caller was verified by PIN.
/// </summary>
internal static class ScreenPop
{
    public static CallPop Build(ICallFacts call, string agent, DateTimeOffset offeredAt)
    {
        var client = call.Client;
        return new CallPop(
            call.Id,
            agent,
            call.Caller,
            call.Dialed,
            offeredAt,
            client?.Name ?? call.ClientName,
            client?.Tier ?? call.Tier,
            client?.AccountMasked,
            client?.ManagerExtension ?? call.AccountManager,
            call.AccountManagerName,
            client?.Language ?? call.Language,
            client?.Branch,
            call.Queue,
            call.QueuedAt is { } queued ? Math.Max(0, (offeredAt - queued).TotalSeconds) : 0,
            [.. call.IvrTrace.Select(t => new PopIvrStep(t.Node, t.Keys))],
            [.. call.Recent.Select(r => new PopInteraction(r.Id, r.StartedAt, r.Agent, r.Disposition, r.WrapUpCode, r.WrapUpNotes, r.TalkSeconds))],
            call.CallerVerified,
            call.VerifiedByPin,
            client?.ManagerPhone);
    }
}
