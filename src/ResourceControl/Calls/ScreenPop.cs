using CallCenter.Contracts.Calls;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// What the agent's desk shows when their phone rings with a call (pure): the directory entry where
/// the look-up found one (masked account, branch, manager), else what the call itself knows; the
/// queue and how long the caller waited until this offer; the IVR path with masked keys as the flow
/// recorded them; the caller's last calls with their wrap-ups; whether the caller was verified by PIN, and
/// for which fund account (masked: the PIN proves that account, not the directory's client for the number);
/// the tier's names and colour as the configured scheme gives them (a securities card as much as a futures grade).
/// </summary>
internal static class ScreenPop
{
    /// <param name="call">The call as the pop shows it.</param>
    /// <param name="agent">Whose desk.</param>
    /// <param name="offeredAt">When their phone was rung.</param>
    /// <param name="tiers">The configured scheme's tiers (names in both languages, the desk's colour), highest first.</param>
    public static CallPop Build(ICallFacts call, string agent, DateTimeOffset offeredAt, IReadOnlyList<Clients.TierDefinition>? tiers = null)
    {
        var client = call.Client;
        var tierName = client?.Tier ?? call.Tier;
        var tier = tierName is null ? null : tiers?.FirstOrDefault(t => string.Equals(t.Name, tierName, StringComparison.OrdinalIgnoreCase));
        return new CallPop(
            call.Id,
            agent,
            call.Caller,
            call.Dialed,
            offeredAt,
            client?.Name ?? call.ClientName,
            tierName,
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
            client?.ManagerPhone,
            tier?.Zh,
            tier?.En,
            tier?.Colour,
            call.VerifiedByPin && call.VerifiedAccount is { } verified ? BackOffice.Rules.AccountMask.Mask(verified) : null,
            call.ManagerDeniedAt);
    }
}
