using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Sip.Transactions;

/// <summary>The answer to OPTIONS (RFC 3261 11.2): our capabilities from the policy.</summary>
public static class SipOptionsResponder
{
    /// <summary>
    /// A 200 with Allow, Accept, Accept-Encoding and Supported (empty when no option tag is
    /// supported, which 11.2 permits). Pass the server transaction's tag as <paramref name="toTag"/>.
    /// </summary>
    public static SipResponse CreateResponse(SipRequest options, SipUasPolicy policy, string? toTag = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(policy);
        var response = SipMessageBuilder.CreateResponse(options, 200, toTag: toTag);
        response.Headers.Add(SipHeaderNames.Allow, string.Join(", ", policy.AllowedMethods));
        response.Headers.Add(SipHeaderNames.Accept, string.Join(", ", policy.AcceptedContentTypes));
        response.Headers.Add("Accept-Encoding", string.Join(", ", policy.AcceptedEncodings));
        response.Headers.Add(SipHeaderNames.Supported, string.Join(", ", policy.SupportedOptionTags));
        return response;
    }
}
