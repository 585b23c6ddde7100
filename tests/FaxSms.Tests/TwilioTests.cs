using System.Net;
using System.Text;
using CallCenter.FaxSms.Outbox;
using CallCenter.FaxSms.Sms;

namespace CallCenter.FaxSms.Tests;

public sealed class TwilioTests
{
    private static readonly TwilioOptions _options = new()
    {
        AccountSid = "AC0123456789abcdef0123456789abcdef",
        AuthToken = "token-1",
        From = "+15005550006",
        BaseUrl = "http://127.0.0.1:4010",
        CallbackBaseUrl = "https://cc.example.com/",
    };

    [TestCase(400, 21211, typeof(SendResult.Permanent))]
    [TestCase(400, 21610, typeof(SendResult.Permanent))]
    [TestCase(404, 20404, typeof(SendResult.Permanent))]
    [TestCase(401, 20003, typeof(SendResult.Transient))]
    [TestCase(429, 20429, typeof(SendResult.Transient))]
    [TestCase(500, 20500, typeof(SendResult.Transient))]
    [TestCase(503, 20503, typeof(SendResult.Transient))]
    public void TwiliosErrorsAreReadAsRetryOrRefusedAndKeepTheCode(int status, int code, Type expected)
    {
        var result = TwilioRules.Interpret(status, code, "words");
        Assert.That(result, Is.TypeOf(expected));
        Assert.That(result.ToString(), Does.Contain(code.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [TestCase("sent", MessageStatus.Sent)]
    [TestCase("delivered", MessageStatus.Delivered)]
    [TestCase("read", MessageStatus.Delivered)]
    [TestCase("undelivered", MessageStatus.Failed)]
    [TestCase("failed", MessageStatus.Failed)]
    [TestCase("canceled", MessageStatus.Failed)]
    public void StatusCallbacksBecomeOutboxStatuses(string twilio, string expected) =>
        Assert.That(TwilioRules.Report(twilio, null, "SM1")?.Status, Is.EqualTo(expected));

    [TestCase("queued")]
    [TestCase("accepted")]
    [TestCase("sending")]
    [TestCase("")]
    [TestCase(null)]
    public void StepsThatChangeNothingAreNotReports(string? twilio) =>
        Assert.That(TwilioRules.Report(twilio, null, "SM1"), Is.Null);

    [Test]
    public void AFailedReportKeepsTwiliosErrorCode() =>
        Assert.That(TwilioRules.Report("undelivered", "30003", "SM9")?.Detail, Does.Contain("30003").And.Contain("SM9"));

    [Test]
    public void TheOptionsSayWhatIsWrong()
    {
        Assert.That(_options.Validate(), Is.Empty);
        var bad = new TwilioOptions { AccountSid = "XY1", AuthToken = "", From = "", BaseUrl = "ftp://x", CallbackBaseUrl = "nope" };
        Assert.That(bad.Validate().ToList(), Has.Count.EqualTo(5));
        Assert.That(new SmsOptions { Provider = "twilio", Twilio = bad }.Validate(), Is.Not.Empty);
        Assert.That(new SmsOptions { Provider = "nexmo" }.Validate().Single(), Does.Contain("twilio"));
    }

    [Test]
    public async Task TheSdkPostsTheFormToTheBaseUrlWithBasicAuthAndTheSignedCallback()
    {
        var handler = new Recording(HttpStatusCode.Created, """{"sid": "SM0001", "status": "queued", "to": "+8613800000001"}""");
        var sender = new TwilioSender(_options, handler);
        var message = new OutboundMessage("msg-7", MessageChannel.Sms, "+8613800000001", null, "您好 & 再见", MessageKind.Ordinary, 1);

        var result = await sender.SendAsync(message, CancellationToken.None);

        Assert.That(result, Is.EqualTo(new SendResult.Accepted("Twilio SM0001: queued")));
        Assert.That(handler.Uri, Is.EqualTo(new Uri("http://127.0.0.1:4010/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json")));
        Assert.That(handler.Authorization, Is.EqualTo("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("AC0123456789abcdef0123456789abcdef:token-1"))));
        var form = System.Web.HttpUtility.ParseQueryString(handler.Body);
        Assert.That(form["To"], Is.EqualTo("+8613800000001"));
        Assert.That(form["From"], Is.EqualTo("+15005550006"));
        Assert.That(form["Body"], Is.EqualTo("您好 & 再见"));
        Assert.That(form["StatusCallback"], Is.EqualTo("https://cc.example.com/sms/twilio/status?id=msg-7"));
    }

    [Test]
    public async Task AnErrorAnswerAndAnUnreachableTwilioAreResultsNotExceptions()
    {
        var refused = new TwilioSender(_options, new Recording(HttpStatusCode.BadRequest, """{"code": 21211, "message": "The 'To' number is not valid.", "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}"""));
        var message = new OutboundMessage("msg-8", MessageChannel.Sms, "+8613800000001", null, "x", MessageKind.Ordinary, 1);
        Assert.That(await refused.SendAsync(message, CancellationToken.None), Is.TypeOf<SendResult.Permanent>());

        var unreachable = new TwilioSender(new TwilioOptions { AccountSid = _options.AccountSid, AuthToken = "t", From = "+1", BaseUrl = "http://127.0.0.1:1" }, new SocketsHttpHandler());
        var result = await unreachable.SendAsync(message, CancellationToken.None);
        Assert.That(result, Is.TypeOf<SendResult.Transient>());
        Assert.That(result.ToString(), Does.Not.Contain("t@").And.Not.Contain("Basic"));
    }

    private sealed class Recording(HttpStatusCode status, string json) : HttpMessageHandler
    {
        public Uri? Uri { get; private set; }

        public string? Authorization { get; private set; }

        public string Body { get; private set; } = "";

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Uri = request.RequestUri;
            Authorization = request.Headers.Authorization?.ToString();
            Body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            return new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        }
    }
}
