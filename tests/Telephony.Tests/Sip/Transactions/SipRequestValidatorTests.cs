using System.Text;
using CallCenter.Telephony.Sip.Messages;
using CallCenter.Telephony.Sip.Transactions;

namespace CallCenter.Telephony.Tests.Sip.Transactions;

public sealed class SipRequestValidatorTests
{
    private static SipUasPolicy Policy => SipUasPolicy.Default;

    private static SipResponse? Validate(SipRequest request) => SipRequestValidator.Validate(request, Policy);

    [Test]
    public void PlainInvitePasses() => Assert.That(Validate(TestMessages.Invite()), Is.Null);

    [Test]
    public void KnownButNotAllowedMethodGets405WithAllow()
    {
        var response = Validate(TestMessages.Request(SipMethods.Subscribe));

        Assert.That(response!.StatusCode, Is.EqualTo(405));
        Assert.That(response.Headers.Get(SipHeaderNames.Allow), Is.EqualTo("INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER, INFO, UPDATE, REFER"));
    }

    [Test]
    public void UnknownMethodGets501()
    {
        Assert.That(Validate(TestMessages.Request("NEWMETHOD"))!.StatusCode, Is.EqualTo(501));
    }

    [TestCase("http")]
    [TestCase("mailto")]
    [TestCase("urn")]
    public void UnsupportedRequestUriSchemeGets416(string scheme)
    {
        // RFC 4475 3.3.2 and 3.3.3.
        var invite = TestMessages.Invite();
        invite.RequestUri = new SipUri { Scheme = scheme, Opaque = "//www.example.com" };

        Assert.That(Validate(invite)!.StatusCode, Is.EqualTo(416));
    }

    [Test]
    public void TelRequestUriPasses()
    {
        var invite = TestMessages.Invite();
        invite.RequestUri = new SipUri { Scheme = "tel", User = "+15555550100" };

        Assert.That(Validate(invite), Is.Null);
    }

    [Test]
    public void UnknownRequiredOptionTagsGet420ListingThem()
    {
        // RFC 4475 3.3.5.
        var invite = TestMessages.Invite();
        invite.Headers.Add(SipHeaderNames.Require, "nothingSupportsThis, nothingSupportsThisEither");
        invite.Headers.Add(SipHeaderNames.ProxyRequire, "noProxiesSupportThis");

        var response = Validate(invite);

        Assert.That(response!.StatusCode, Is.EqualTo(420));
        Assert.That(response.Headers.Get(SipHeaderNames.Unsupported), Is.EqualTo("nothingSupportsThis, nothingSupportsThisEither, noProxiesSupportThis"));
    }

    [Test]
    public void RequiredOptionTagInThePolicyPasses()
    {
        var invite = TestMessages.Invite();
        invite.Headers.Add(SipHeaderNames.Require, "timer");

        Assert.That(SipRequestValidator.Validate(invite, Policy with { SupportedOptionTags = ["timer"] }), Is.Null);
    }

    [Test]
    public void UnknownContentTypeGets415WithAccept()
    {
        // RFC 4475 3.3.6.
        var invite = TestMessages.Invite();
        invite.ContentType = "application/unknownformat";
        invite.Body = Encoding.ASCII.GetBytes("<audio> <pcmu port=\"443\"/> </audio>");

        var response = Validate(invite);

        Assert.That(response!.StatusCode, Is.EqualTo(415));
        Assert.That(response.Headers.Get(SipHeaderNames.Accept), Is.EqualTo("application/sdp, application/dtmf-relay"));
    }

    [Test]
    public void SdpBodyWithParametersPasses()
    {
        var invite = TestMessages.Invite();
        invite.ContentType = "Application/SDP; charset=utf-8";
        invite.Body = Encoding.ASCII.GetBytes("v=0\r\n");

        Assert.That(Validate(invite), Is.Null);
    }

    [Test]
    public void AnUnknownProxyRequireAloneGets420()
    {
        var invite = TestMessages.Invite();
        invite.Headers.Add(SipHeaderNames.ProxyRequire, "noProxiesSupportThis");

        Assert.That(Validate(invite)?.Headers.Get(SipHeaderNames.Unsupported), Is.EqualTo("noProxiesSupportThis"));
    }

    [Test]
    public void AnUnknownContentEncodingInItsCompactFormGets415()
    {
        var wire = "INVITE sip:bob@biloxi.example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKcompact\r\n"
            + "From: <sip:alice@atlanta.example.com>;tag=1\r\nTo: <sip:bob@biloxi.example.com>\r\nCall-ID: compact-e\r\n"
            + "CSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContact: <sip:alice@192.0.2.10>\r\nc: application/sdp\r\ne: br\r\nl: 5\r\n\r\nv=0\r\n";
        var invite = (SipRequest)CallCenter.Telephony.Sip.Parsing.SipParser.ParseDatagram(Encoding.ASCII.GetBytes(wire)).Message!;

        Assert.That(Validate(invite)?.StatusCode, Is.EqualTo(415));
    }

    [Test]
    public void UnknownContentEncodingGets415WithAcceptEncoding()
    {
        var invite = TestMessages.Invite();
        invite.ContentType = "application/sdp";
        invite.Headers.Add(SipHeaderNames.ContentEncoding, "br");
        invite.Body = Encoding.ASCII.GetBytes("v=0\r\n");

        var response = Validate(invite);

        Assert.That(response!.StatusCode, Is.EqualTo(415));
        Assert.That(response.Headers.Get("Accept-Encoding"), Is.EqualTo("identity"));
    }

    [Test]
    public void InviteWhoseAcceptExcludesSdpGets406()
    {
        // RFC 4475 3.3.15.
        var invite = TestMessages.Invite();
        invite.Headers.Add(SipHeaderNames.Accept, "text/nobodyKnowsThis");

        Assert.That(Validate(invite)!.StatusCode, Is.EqualTo(406));
    }

    [TestCase("application/sdp")]
    [TestCase("application/*")]
    [TestCase("text/html, */*;q=0.1")]
    public void InviteAcceptingSdpPasses(string accept)
    {
        var invite = TestMessages.Invite();
        invite.Headers.Add(SipHeaderNames.Accept, accept);

        Assert.That(Validate(invite), Is.Null);
    }

    [Test]
    public void RequestWithoutMaxForwardsPassesAtAnEndpoint()
    {
        // RFC 4475 3.4.1.
        var invite = TestMessages.Invite();
        invite.MaxForwards = null;

        Assert.That(Validate(invite), Is.Null);
    }

    [Test]
    public void OptionsWithMaxForwardsZeroIsAnsweredNormally()
    {
        // RFC 4475 3.3.11.
        var options = TestMessages.Request(SipMethods.Options);
        options.MaxForwards = 0;

        Assert.That(Validate(options), Is.Null);
    }

    [Test]
    public void AckIsNeverRejected()
    {
        var ack = TestMessages.Request(SipMethods.Ack, toTag: "t");
        ack.Headers.Add(SipHeaderNames.Require, "nothingSupportsThis");

        Assert.That(Validate(ack), Is.Null);
    }

    [Test]
    public void MethodIsCheckedBeforeTheScheme()
    {
        var request = TestMessages.Request(SipMethods.Subscribe);
        request.RequestUri = new SipUri { Scheme = "http", Opaque = "//x" };

        Assert.That(Validate(request)!.StatusCode, Is.EqualTo(405));
    }

    [Test]
    public void OptionsAnswerListsAllowAcceptAndSupported()
    {
        var policy = Policy with { SupportedOptionTags = ["replaces"] };

        var response = SipOptionsResponder.CreateResponse(TestMessages.Request(SipMethods.Options), policy, "tag");

        Assert.That(response.StatusCode, Is.EqualTo(200));
        Assert.That(response.To!.Tag, Is.EqualTo("tag"));
        Assert.That(response.Headers.Get(SipHeaderNames.Allow), Does.Contain("INVITE").And.Contain("OPTIONS"));
        Assert.That(response.Headers.Get(SipHeaderNames.Accept), Is.EqualTo("application/sdp, application/dtmf-relay"));
        Assert.That(response.Headers.Get(SipHeaderNames.Supported), Is.EqualTo("replaces"));
    }
}
