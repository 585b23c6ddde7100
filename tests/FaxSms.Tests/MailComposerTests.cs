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

    [Test]
    public void FilesGoAfterTheTextInAMultipartMixedWithTheirNamesAndBytes()
    {
        byte[] pdf = [0x25, 0x50, 0x44, 0x46, 0x2D, 0x00, 0xFF];
        var message = new OutboundMessage("msg-7", MessageChannel.Email, "a@example.cn", "对账单", "见附件", MessageKind.Ordinary, 1, Attachments: [new("2026年11月对账单.pdf", "application/pdf", pdf)]);

        var mime = MailComposer.Compose(message, "service@broker.example", DateTimeOffset.UnixEpoch);
        using var stream = new MemoryStream();
        mime.WriteTo(stream);
        stream.Position = 0;
        var parsed = MimeKit.MimeMessage.Load(stream);

        Assert.That(parsed.Body!.ContentType.MimeType, Is.EqualTo("multipart/mixed"));
        Assert.That(parsed.TextBody, Is.EqualTo("见附件"));
        var file = parsed.Attachments.OfType<MimeKit.MimePart>().Single();
        Assert.That(file.FileName, Is.EqualTo("2026年11月对账单.pdf"));
        Assert.That(file.ContentType.MimeType, Is.EqualTo("application/pdf"));
        using var bytes = new MemoryStream();
        file.Content!.DecodeTo(bytes);
        Assert.That(bytes.ToArray(), Is.EqualTo(pdf));
    }

    [Test]
    public void AttachmentsAreCheckedWhenTheMessageIsCreated()
    {
        static string? Error(params AttachmentRequest[] files) => new MessageRequest("email", "a@example.cn", "s", "t", files).Validate("m").Error;

        var ok = new MessageRequest("email", "a@example.cn", "s", "t", [new("a.pdf", "application/pdf", Convert.ToBase64String([1, 2, 3]))]).Validate("m");
        Assert.That(ok.Error, Is.Null);
        Assert.That(ok.Message!.Attachments![0].Content, Is.EqualTo(new byte[] { 1, 2, 3 }));
        Assert.That(Error(new AttachmentRequest("../etc/passwd", "text/plain", "aGk=")), Does.Contain("without a path"));
        Assert.That(Error(new AttachmentRequest("a.pdf", "pdf", "aGk=")), Does.Contain("MIME type"));
        Assert.That(Error(new AttachmentRequest("a.pdf", "application/pdf", "not base64!")), Does.Contain("base64"));
        Assert.That(Error(new AttachmentRequest("a.pdf", "application/pdf", "")), Does.Contain("empty"));
        Assert.That(Error([.. Enumerable.Range(0, 11).Select(i => new AttachmentRequest($"{i}.txt", "text/plain", "aGk="))]), Does.Contain("at most 10"));
        var big = Convert.ToBase64String(new byte[6 * 1024 * 1024]);
        Assert.That(Error(new AttachmentRequest("a.bin", "application/octet-stream", big), new AttachmentRequest("b.bin", "application/octet-stream", big)), Does.Contain("MiB"));
        Assert.That(new MessageRequest("sms", "13800000001", null, "t", [new("a.pdf", "application/pdf", "aGk=")]).Validate("m").Error, Does.Contain("no attachments"));
    }
}
