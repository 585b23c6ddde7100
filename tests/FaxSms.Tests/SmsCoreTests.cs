using CallCenter.FaxSms.Outbox;
using CallCenter.FaxSms.Sms;

namespace CallCenter.FaxSms.Tests;

public sealed class SmsCoreTests
{
    private static readonly KannelOptions _kannel = new()
    {
        SendUrl = "http://127.0.0.1:13013/cgi-bin/sendsms",
        Username = "cc",
        Password = "p&ss word",
        CallbackBaseUrl = "http://10.0.0.5:8080/",
        CallbackSecret = "0123456789abcdef-secret",
    };

    [TestCase("Hello, your account is open.", SmsCoding.Gsm7, 1)]
    [TestCase("Price €12 [ok]", SmsCoding.Gsm7, 1)]
    [TestCase("您好", SmsCoding.Ucs2, 1)]
    [TestCase("Hi 您好", SmsCoding.Ucs2, 1)]
    public void TheCodingFollowsTheAlphabet(string text, int coding, int parts)
    {
        Assert.That(SmsCoding.For(text), Is.EqualTo(coding));
        Assert.That(SmsCoding.Parts(text), Is.EqualTo(parts));
    }

    [Test]
    public void LongTextsAreCountedInConcatenatedParts()
    {
        Assert.That(SmsCoding.Parts(new string('a', 160)), Is.EqualTo(1));
        Assert.That(SmsCoding.Parts(new string('a', 161)), Is.EqualTo(2));
        Assert.That(SmsCoding.Parts(new string('中', 70)), Is.EqualTo(1));
        Assert.That(SmsCoding.Parts(new string('中', 71)), Is.EqualTo(2));
        Assert.That(SmsCoding.Parts(new string('中', 135)), Is.EqualTo(3));
    }

    [Test]
    public void TheSendsmsRequestCarriesUcs2CodingTheSignedDlrUrlAndEscapedValues()
    {
        var signature = new CallbackSignature(_kannel.CallbackSecret);
        var message = new OutboundMessage("msg-1", MessageChannel.Sms, "+8613800000001", null, "您好 & 再见", MessageKind.Ordinary, 1);
        var query = System.Web.HttpUtility.ParseQueryString(KannelRequest.Build(_kannel, "95500", signature, message).Query);

        Assert.That(query["username"], Is.EqualTo("cc"));
        Assert.That(query["password"], Is.EqualTo("p&ss word"));
        Assert.That(query["to"], Is.EqualTo("+8613800000001"));
        Assert.That(query["text"], Is.EqualTo("您好 & 再见"));
        Assert.That(query["coding"], Is.EqualTo("2"));
        Assert.That(query["charset"], Is.EqualTo("UTF-8"));
        Assert.That(query["dlr-mask"], Is.EqualTo("27"));
        Assert.That(query["dlr-url"], Is.EqualTo($"http://10.0.0.5:8080/sms/kannel/dlr?id=msg-1&sig={signature.Sign("msg-1")}&type=%d&answer=%A"));
    }

    [TestCase(202, "0: Accepted for delivery", typeof(SendResult.Accepted))]
    [TestCase(202, "3: Queued for later delivery", typeof(SendResult.Accepted))]
    [TestCase(403, "Authorization failed for sendsms", typeof(SendResult.Transient))]
    [TestCase(400, "Missing receiver number", typeof(SendResult.Permanent))]
    [TestCase(503, "Sendsms is disabled", typeof(SendResult.Transient))]
    public void SmsboxAnswersAreReadAsAcceptedRetryOrRefused(int status, string body, Type expected) =>
        Assert.That(KannelRequest.Interpret(status, body), Is.TypeOf(expected));

    [TestCase(1, "delivered")]
    [TestCase(2, "failed")]
    [TestCase(8, "sent")]
    [TestCase(16, "failed")]
    public void DeliveryReportTypesBecomeStatuses(int type, string status) =>
        Assert.That(KannelRequest.Report(type, "ACK/")!.Value.Status, Is.EqualTo(status));

    [Test]
    public void AnUnknownReportTypeIsNotGuessed() => Assert.That(KannelRequest.Report(3, null), Is.Null);

    [Test]
    public void SignaturesBindTheMessageIdAndTheSecret()
    {
        var signature = new CallbackSignature("0123456789abcdef-secret");
        Assert.That(signature.Verify("msg-1", signature.Sign("msg-1")), Is.True);
        Assert.That(signature.Verify("msg-2", signature.Sign("msg-1")), Is.False);
        Assert.That(new CallbackSignature("another-secret-0123").Verify("msg-1", signature.Sign("msg-1")), Is.False);
        Assert.That(signature.Verify("msg-1", null), Is.False);
        Assert.That(signature.IsSecret("0123456789abcdef-secret"), Is.True);
        Assert.That(signature.IsSecret("0123456789abcdef-secreT"), Is.False);
    }

    [TestCase("TD", "TD")]
    [TestCase(" td ", "TD")]
    [TestCase("退订", "退订")]
    [TestCase("退订。", "退订")]
    [TestCase("Stop!", "STOP")]
    [TestCase("TD please", null)]
    [TestCase("我不想退订", null)]
    [TestCase("", null)]
    public void OptOutKeywordsAreTheWholeMessage(string text, string? keyword) =>
        Assert.That(OptOutKeywords.Match(text), Is.EqualTo(keyword));

    [Test]
    public void AnInboundOptOutComesWithItsConfirmationToTheSender()
    {
        var (sms, confirmation) = InboundSmsRules.Classify("k1", "13800000001", "95500", "退订", "msg-c");
        Assert.That(sms.Outcome, Is.EqualTo(InboundSms.OptOut));
        Assert.That(sms.Sender, Is.EqualTo("+8613800000001"));
        Assert.That(confirmation!.Recipient, Is.EqualTo("+8613800000001"));
        Assert.That(confirmation.Kind, Is.EqualTo(MessageKind.OptOutConfirmation));
    }

    [TestCase(null, "hello", "sender")]
    [TestCase("abc", "hello", "sender")]
    [TestCase("13800000001", "  ", "empty")]
    public void AMalformedInboundSmsIsKeptWithTheReason(string? from, string text, string reason)
    {
        var (sms, confirmation) = InboundSmsRules.Classify("k2", from, "95500", text, "msg-c");
        Assert.That(sms.Outcome, Is.EqualTo(InboundSms.Malformed));
        Assert.That(sms.Reason, Does.Contain(reason));
        Assert.That(confirmation, Is.Null);
    }
}
