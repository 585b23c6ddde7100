using System.Security.Cryptography;
using CallCenter.Telephony.Sip.Messages;

namespace CallCenter.Telephony.Sip.Auth;

/// <summary>
/// A minimal UAS response per RFC 3261 8.2.6: the Vias, From, To (with a tag added), Call-ID and
/// CSeq of the request. A stand-in until the shared SipMessageBuilder.CreateResponse is merged.
/// </summary>
internal static class SipResponseFactory
{
    public static SipResponse Create(SipRequest request, int statusCode, string reasonPhrase)
    {
        var to = request.To?.Clone();
        if (to is not null && to.Tag is null && statusCode > 100)
        {
            // RFC 3261 8.2.6.2: the UAS adds a To tag to every response but 100.
            to.Tag = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        }

        var response = new SipResponse
        {
            StatusCode = statusCode,
            ReasonPhrase = reasonPhrase,
            From = request.From?.Clone(),
            To = to,
            CallId = request.CallId,
            CSeq = request.CSeq,
        };
        foreach (var via in request.Vias)
        {
            response.Vias.Add(via.Clone());
        }

        return response;
    }
}
