using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Transport;

/// <summary>
/// Who may do what on a SIP WebSocket. The connection was opened by a signed-in agent's desk (the
/// host checks the desk cookie and the page's origin before the upgrade), so it may register that
/// agent's extension and no other: someone on the LAN who knows another agent's SIP password still
/// cannot bind that agent's calls to their browser through this door.
/// </summary>
internal static class SipWebSocketPolicy
{
    /// <summary>The 403 for a request this connection may not make, or null when it may.</summary>
    public static SipResponse? Refusal(SipRequest request, string owner)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Method != SipMethods.Register)
        {
            return null;
        }

        var aor = request.To?.Uri.User;
        return string.Equals(aor, owner, StringComparison.Ordinal)
            ? null
            : SipMessageBuilder.CreateResponse(request, 403, "Forbidden: this connection belongs to another agent");
    }
}
