using CallCenter.Data.Events;
using CallCenter.ResourceControl.Records;

namespace CallCenter.ResourceControl.Calls;

/// <summary>Events about a live call carry both its ids: the platform's call id and the caller leg's SIP Call-ID.</summary>
internal static class CallEventLog
{
    public static void Write(this EventLog events, EventKind kind, ActiveCall call, string? agent = null, object? detail = null) =>
        events.Write(kind, call.Id, agent, detail, call.CallId);
}
