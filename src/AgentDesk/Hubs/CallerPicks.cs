using System.Security.Claims;
using CallCenter.Contracts.Agents;
using CallCenter.Contracts.Queues;

namespace CallCenter.AgentDesk.Hubs;

/// <summary>
/// A supervisor picks a waiting caller for an agent, from the wallboard (<c>pickCaller</c>) or the REST API
/// (<c>POST /api/queues/callers/{callId}/pick</c>): the request is checked, handed to the host's ACD
/// (<see cref="IQueuePicks"/>, which alone changes queue state) and audited, done or refused.
/// Who may ask is the hub's and the API's policy (supervisors, admins, an API key; never an agent).
/// </summary>
internal sealed class CallerPicks(IQueuePicks picks, IAgentStates agents, DeskAudit audit)
{
    /// <summary>Longest call id or extension taken (both are short ids).</summary>
    public const int MaxId = 64;

    public async Task<CallerPickOutcome> PickAsync(ClaimsPrincipal user, string action, string? callId, string? agent)
    {
        ArgumentNullException.ThrowIfNull(user);
        callId = callId?.Trim();
        agent = agent?.Trim();
        if (string.IsNullOrEmpty(callId) || string.IsNullOrEmpty(agent) || callId.Length > MaxId || agent.Length > MaxId)
        {
            await audit.RefusedAsync(user, action, Shorten(callId), $"no call or agent, or one too long (agent {Shorten(agent)})");
            return new(CallerPickStatus.Invalid, PickText.Invalid);
        }

        if (!agents.List().Any(a => string.Equals(a.Id, agent, StringComparison.Ordinal)))
        {
            await audit.RefusedAsync(user, action, callId, $"unknown agent {agent}");
            return new(CallerPickStatus.UnknownAgent, PickText.UnknownAgent(agent));
        }

        var result = await picks.PickAsync(callId, agent, user.Identity?.Name ?? "?");
        if (!result.Done)
        {
            await audit.RefusedAsync(user, action, callId, $"agent {agent}: {result.Message}");
            return new(
                result.Error switch
                {
                    QueuePickError.CallNotWaiting => CallerPickStatus.CallNotWaiting,
                    QueuePickError.Unavailable => CallerPickStatus.Unavailable,
                    _ => CallerPickStatus.AgentNotAvailable,
                },
                PickText.Refused(result));
        }

        await audit.DoneAsync(user, action, callId, $"agent {agent}");
        return new(CallerPickStatus.Done, PickText.Done(result));
    }

    private static string? Shorten(string? text) => text is { Length: > MaxId } ? text[..MaxId] + "…" : text;
}

internal enum CallerPickStatus
{
    Done,
    Invalid,
    UnknownAgent,
    CallNotWaiting,
    AgentNotAvailable,
    Unavailable,
}

/// <summary>What became of a pick, with the sentence (中文 · English) the supervisor sees.</summary>
internal sealed record CallerPickOutcome(CallerPickStatus Status, string Message);

/// <summary>The picks' sentences: Mandarin, then English.</summary>
internal static class PickText
{
    public const string Invalid = "请选择排队客户和坐席 · Choose a waiting caller and an agent.";

    public static string UnknownAgent(string agent) => $"没有坐席 {agent} · There is no agent {agent}.";

    public static string Done(QueuePickResult result) => $"已分配，坐席话机正在振铃 · Done: {result.Message}.";

    public static string Refused(QueuePickResult result) => result.Error switch
    {
        QueuePickError.CallNotWaiting => $"该客户已不在排队（已挂机或已由坐席接听） · {result.Message}.",
        QueuePickError.Unavailable => $"排队系统暂时无法处理，请稍后再试 · {result.Message}.",
        _ => $"该坐席现在不能接听（未签入、通话中、话后处理或小休） · {result.Message}.",
    };
}
