using CallCenter.Contracts.Agents;
using CallCenter.Contracts.Calls;

namespace CallCenter.AgentDesk.Hubs;

/// <summary>
/// The agent hub's <c>current()</c>: the agent now, the pop and state of their call (null without one),
/// the active disposition codes and the configured wrap-up time.
/// </summary>
public sealed record AgentCurrent(AgentSnapshot Agent, CallPop? Pop, DeskCallState? Call, IReadOnlyList<DispositionCodeView> DispositionCodes, int WrapUpSeconds);

/// <summary>A disposition code as the wrap-up form offers it.</summary>
public sealed record DispositionCodeView(string Code, string LabelZh, string LabelEn);
