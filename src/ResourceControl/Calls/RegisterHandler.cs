using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Calls;

/// <summary>REGISTER from agent phones: digest authentication, then the registrar.</summary>
internal sealed class RegisterHandler
{
    public ValueTask<SipResponse> HandleAsync(SipRequest request, SipRemote source, string localTag) =>
        ValueTask.FromResult(SipMessageBuilder.CreateResponse(request, 501, null, localTag));
}
