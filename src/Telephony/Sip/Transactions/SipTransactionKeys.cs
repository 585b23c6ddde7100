using System.Globalization;
using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Sip.Transactions;

/// <summary>The matching rules of RFC 3261 17.1.3 and 17.2.3 as string keys.</summary>
internal static class SipTransactionKeys
{
    /// <summary>17.1.3: top Via branch and CSeq method.</summary>
    public static string? Client(SipMessage message)
    {
        var branch = message.TopVia?.Branch;
        var method = message.CSeq?.Method;
        return branch is null || method is null ? null : "c|" + branch.ToLowerInvariant() + "|" + method;
    }

    /// <summary>
    /// 17.2.3: with a magic-cookie branch, the branch, the sent-by and the method (ACK counts as
    /// INVITE); otherwise the RFC 2543 rule: Request-URI, From tag, Call-ID, CSeq number and the
    /// top Via. The To tag is left out of the key: an ACK's To tag is checked against the response.
    /// <paramref name="method"/> overrides the method, to find the INVITE a CANCEL names.
    /// The Call-ID joins the RFC 3261 key too: a true retransmission (and an ACK or CANCEL) always
    /// carries its INVITE's Call-ID, while a client that reuses a branch for a new request (the
    /// RFC 4475 messages all use z9hG4bKkdjuw) must not have it swallowed as a retransmission.
    /// </summary>
    public static string? Server(SipRequest request, string? method = null)
    {
        var via = request.TopVia;
        if (via is null)
        {
            return null;
        }

        method ??= request.Method == SipMethods.Ack ? SipMethods.Invite : request.Method;
        var sentBy = SentBy(via);
        if (via.IsRfc3261Branch)
        {
            return "s|" + via.Branch!.ToLowerInvariant() + "|" + sentBy + "|" + method + "|" + request.CallId;
        }

        if (request.CallId is null || request.CSeq is null)
        {
            return null;
        }

        return "s2543|" + method + "|" + UriKey(request.RequestUri) + "|" + request.From?.Tag + "|" + request.CallId
            + "|" + request.CSeq.Value.Number.ToString(CultureInfo.InvariantCulture) + "|" + sentBy + "|" + via.Branch;
    }

    /// <summary>Call-ID, From tag, CSeq number and method: the identity of a request for 8.2.2.2 and for the ACK of a 2xx.</summary>
    public static string? RequestId(SipMessage message, string method)
    {
        if (message.CallId is null || message.CSeq is null)
        {
            return null;
        }

        return "r|" + message.CallId + "|" + message.From?.Tag + "|"
            + message.CSeq.Value.Number.ToString(CultureInfo.InvariantCulture) + "|" + method;
    }

    private static string SentBy(SipVia via) =>
        via.Host.ToLowerInvariant() + ":" + (via.Port ?? DefaultPort(via.Transport)).ToString(CultureInfo.InvariantCulture);

    private static int DefaultPort(string transport) =>
        string.Equals(transport, "TLS", StringComparison.OrdinalIgnoreCase) ? 5061 : 5060;

    private static string UriKey(SipUri uri) =>
        uri.Scheme + ":" + uri.User + "@" + uri.Host.ToLowerInvariant() + ":"
        + uri.Port?.ToString(CultureInfo.InvariantCulture) + "|" + uri.Opaque;
}
