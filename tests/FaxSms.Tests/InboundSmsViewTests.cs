using CallCenter.FaxSms.Sms;

namespace CallCenter.FaxSms.Tests;

/// <summary>The operator's list of inbound SMS masks the sender in the reason too, not only in <c>from</c>.</summary>
public sealed class InboundSmsViewTests
{
    [Test]
    public void AReasonThatQuotesTheSendersNumberShowsItMasked()
    {
        var reason = InboundSmsEndpoints.MaskNumbers("sender: \"02155551234\" is not a mobile number", "02155551234");

        Assert.That(reason, Does.Not.Contain("02155551234"));
        Assert.That(reason, Does.Contain("021****1234"));
    }

    [Test]
    public void ANumberRewordedByTheParserIsMaskedAndShortNumbersStay()
    {
        var reason = InboundSmsEndpoints.MaskNumbers("sender: +8613800000002 is invalid for CN (code 86)", "13800000002");

        Assert.That(reason, Does.Not.Contain("13800000002"));
        Assert.That(reason, Does.Contain("code 86"));
        Assert.That(InboundSmsEndpoints.MaskNumbers(null, "13800000002"), Is.Null);
    }
}
