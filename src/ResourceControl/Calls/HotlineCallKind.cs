using CallCenter.Data.Catalog;

namespace CallCenter.ResourceControl.Calls;

/// <summary>
/// The inbound hotline call (design.md section 4): an INVITE to a hotline's number is answered, and
/// once the caller is confirmed and identified the number's IVR flow runs (a hotline without a flow
/// leaves the caller waiting, as before flows existed for it). The hotlines are reference data read
/// once at start; the flows are those loaded from <c>config/flows</c>.
/// </summary>
internal sealed class HotlineCallKind(IReadOnlyDictionary<string, HotlineRecord> hotlines, Func<string, bool> hasFlow) : ICallKind
{
    public string Name => "hotline";

    public string? Answers(string dialed) => hotlines.TryGetValue(dialed, out var hotline) ? hotline.Kind : null;

    public CallKindStart Start(ICallFacts call) =>
        hasFlow(call.Dialed) ? new CallKindStart.RunFlow(call.Dialed) : new CallKindStart.Wait();
}
