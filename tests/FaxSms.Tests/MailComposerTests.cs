using CallCenter.FaxSms.Email;
using CallCenter.FaxSms.Outbox;

namespace CallCenter.FaxSms.Tests;

public sealed class MailComposerTests
{
    [Test]
    public void ChineseSubjectsAndDisplayNamesAreEncodedWordsAndTheMessageIdIsTheOutboxId()
    {
        var message = new OutboundMessage("msg-42", MessageChannel.Email, "张三 <zhangsan@example.cn>", "您的对账单", "正文", MessageKind.Ordinary, 1);
        var mime = MailComposer.Compose(message, "客户服务中心 <service@broker.example>", DateTimeOffset.UnixEpoch);
        using var stream = new MemoryStream();
        var format = MimeKit.FormatOptions.Default.Clone();
        format.NewLineFormat = MimeKit.NewLineFormat.Dos;
        mime.WriteTo(format, stream);
        var raw = System.Text.Encoding.ASCII.GetString(stream.ToArray());

        // RFC 2047: no raw 8-bit in headers; UTF-8 encoded-words instead.
        var headers = raw[..raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        Assert.That(headers.All(c => c < 128), Is.True, headers);
        Assert.That(headers, Does.Contain("Subject: =?utf-8?"));
        Assert.That(headers, Does.Contain("<zhangsan@example.cn>"));
        Assert.That(headers, Does.Contain("Message-Id: <msg-42@broker.example>"));
        Assert.That(mime.Subject, Is.EqualTo("您的对账单"));
        Assert.That(((MimeKit.MailboxAddress)mime.To[0]).Name, Is.EqualTo("张三"));
        Assert.That(mime.TextBody, Is.EqualTo("正文"));
    }
}
