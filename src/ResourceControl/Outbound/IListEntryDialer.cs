using CallCenter.Contracts.Calls;
using CallCenter.Data.Callbacks;

namespace CallCenter.ResourceControl.Outbound;

/// <summary>
/// Places a preview list's call for the agent who previewed it (the call rooms implement it): the agent's
/// phone first, then the client through the trunk, the attempt reported as a callback's. Done carries the
/// call's id; a refusal before any call exists carries none (nothing rang).
/// </summary>
internal interface IListEntryDialer
{
    Task<CallControlResult> DialEntryAsync(string agent, CallbackRow callback);
}
