using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Tests.Sip;
using CallCenter.Telephony.Transport;

namespace CallCenter.Telephony.Tests.Transport;

public sealed class SipWebSocketPolicyTests
{
    private static SipRequest RegisterFor(string extension)
    {
        var register = TestMessages.Request(SipMethods.Register, transport: "WS", viaHost: "df7jal23ls0d.invalid", viaPort: null);
        register.To = TestMessages.Address(extension, "callcenter");
        return register;
    }

    [Test]
    public void TheConnectionsOwnAgentMayRegister()
    {
        Assert.That(SipWebSocketPolicy.Refusal(RegisterFor("1001"), "1001"), Is.Null);
    }

    [Test]
    public void ARegisterForAnotherExtensionIsAnswered403()
    {
        var refusal = SipWebSocketPolicy.Refusal(RegisterFor("1002"), "1001");

        Assert.That(refusal?.StatusCode, Is.EqualTo(403));
        Assert.That(refusal!.CallId, Is.EqualTo("call-1@atlanta.example.com"));
    }

    [Test]
    public void OtherRequestsAreLeftToTheirHandlers()
    {
        var invite = TestMessages.Request(SipMethods.Invite, transport: "WS");

        Assert.That(SipWebSocketPolicy.Refusal(invite, "1001"), Is.Null);
    }
}
