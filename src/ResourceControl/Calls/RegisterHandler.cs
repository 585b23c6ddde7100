using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Registrar;
using CallCenter.Telephony.Transport;

namespace CallCenter.ResourceControl.Calls;

/// <summary>REGISTER from agent phones: digest authentication, then the registrar (RFC 3261 10.3).</summary>
internal sealed class RegisterHandler(SipRegistrar registrar, TimeProvider time)
{
    public ValueTask<SipResponse> HandleAsync(SipRequest request, SipRemote source) =>
        registrar.HandleAsync(request, source, time.GetUtcNow());
}
