using System.Net;
using System.Text.Json;
using MimeKit;

namespace CallCenter.Integration.Tests;

/// <summary>
/// E-mail through the outbox to a real SMTP server on loopback (aiosmtpd): STARTTLS with
/// authentication, implicit TLS and plain SMTP; Chinese subjects and names as RFC 2047 encoded-words;
/// a server that is down or refuses the login keeps the message queued with the reason.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Self)]
public sealed class EmailTests
{
    private const string From = "客户服务中心 <service@broker.example>";

    [TestCase("starttls", true)]
    [TestCase("tls", true)]
    [TestCase("none", false)]
    public async Task AnEmailWithAChineseSubjectAndDisplayNameIsSubmittedAndMarkedSent(string security, bool authenticate)
    {
        await using var smtp = await SmtpServer.StartAsync(security, authenticate ? "mailer" : null, authenticate ? "smtp-secret-1" : null);
        await using var platform = await PlatformProcess.StartAsync(MailArguments(smtp.Port, security, authenticate ? "smtp-secret-1" : null));

        var id = await PostEmailAsync(platform, "张三 <zhangsan@example.cn>", "您的对账单（2026年11月）", "尊敬的客户：\n附上您11月的对账单。");
        var messages = await smtp.WaitMessagesAsync(1, TimeSpan.FromSeconds(30));
        Assert.That(messages, Has.Count.EqualTo(1), platform.Output + smtp.Output);

        var (envelope, raw) = messages[0];
        Assert.That(envelope, Does.Contain("from=service@broker.example").And.Contain("to=zhangsan@example.cn"));
        var text = System.Text.Encoding.UTF8.GetString(raw);
        var headers = text[..text.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        Assert.That(headers.All(c => c < 128), Is.True, "RFC 2047: headers are ASCII\n" + headers);
        Assert.That(headers, Does.Contain("=?utf-8?"));
        Assert.That(headers, Does.Contain($"Message-Id: <{id}@broker.example>").IgnoreCase);

        using var stream = new MemoryStream(raw);
        var mime = await MimeMessage.LoadAsync(stream);
        Assert.That(mime.Subject, Is.EqualTo("您的对账单（2026年11月）"));
        Assert.That(((MailboxAddress)mime.From[0]).Name, Is.EqualTo("客户服务中心"));
        Assert.That(((MailboxAddress)mime.To[0]).Name, Is.EqualTo("张三"));
        Assert.That(mime.TextBody?.ReplaceLineEndings("\n").TrimEnd('\n'), Is.EqualTo("尊敬的客户：\n附上您11月的对账单。"));

        var status = await platform.WaitMessageStatusAsync(id, "sent");
        Assert.That(status.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("status").GetString()), Is.EqualTo(new[] { "queued", "sent" }));
    }

    [Test]
    public async Task AFileSentWithAnEmailArrivesAsAnAttachmentWithItsNameAndBytes()
    {
        await using var smtp = await SmtpServer.StartAsync("none");
        await using var platform = await PlatformProcess.StartAsync(MailArguments(smtp.Port, "none", null));
        var pdf = System.Text.Encoding.ASCII.GetBytes("%PDF-1.4\n% statement for 880000000001\n%%EOF\n").Concat(new byte[] { 0x00, 0xFF, 0x80 }).ToArray();

        var id = await platform.PostMessageAsync(new
        {
            channel = "email",
            to = "client1@example.com",
            subject = "您的对账单",
            text = "请查收附件。",
            attachments = new[] { new { name = "2026年11月对账单.pdf", contentType = "application/pdf", data = Convert.ToBase64String(pdf) } },
        });
        var (_, raw) = (await smtp.WaitMessagesAsync(1, TimeSpan.FromSeconds(30))).Single();
        await platform.WaitMessageStatusAsync(id, "sent");

        var mime = await MimeMessage.LoadAsync(new MemoryStream(raw));
        Assert.That(mime.TextBody?.TrimEnd(), Is.EqualTo("请查收附件。"));
        var file = mime.Attachments.OfType<MimePart>().Single();
        Assert.That(file.FileName, Is.EqualTo("2026年11月对账单.pdf"));
        Assert.That(file.ContentType.MimeType, Is.EqualTo("application/pdf"));
        using var bytes = new MemoryStream();
        await file.Content!.DecodeToAsync(bytes);
        Assert.That(bytes.ToArray(), Is.EqualTo(pdf));

        var (status, body) = await platform.PostApiAsync("api/messages", JsonSerializer.Serialize(new
        {
            channel = "email",
            to = "client1@example.com",
            subject = "x",
            text = "x",
            attachments = new[] { new { name = "../../etc/passwd", contentType = "text/plain", data = "aGk=" } },
        }));
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain("without a path"));
    }

    [Test]
    public async Task AWrongPasswordKeepsTheMessageQueuedWithTheReasonAndNeverLogsThePassword()
    {
        await using var smtp = await SmtpServer.StartAsync("starttls", "mailer", "the-right-one");
        await using var platform = await PlatformProcess.StartAsync(MailArguments(smtp.Port, "starttls", "wrong-password-xyz"));

        var id = await PostEmailAsync(platform, "client@example.cn", "Statement", "body");
        var queued = await platform.WaitMessageAsync(id, m => m.GetProperty("attempts").GetInt32() >= 2);
        Assert.That(queued.GetProperty("status").GetString(), Is.EqualTo("queued"));
        Assert.That(queued.GetProperty("lastError").GetString(), Does.Contain("authentication"));
        Assert.That(smtp.Messages, Is.Empty);
        Assert.That(platform.Output, Does.Not.Contain("wrong-password-xyz"));
        Assert.That(queued.ToString(), Does.Not.Contain("wrong-password-xyz"));
    }

    [Test]
    public async Task AServerThatIsDownMakesTheMessageWaitAndItGoesOutOnceWhenTheServerIsBack()
    {
        var port = CallCenter.TestSupport.FreePorts.UdpAndTcp();
        await using var platform = await PlatformProcess.StartAsync(MailArguments(port, "none", null));

        var id = await PostEmailAsync(platform, "client@example.cn", "Morning note", "Markets open higher.");
        var waiting = await platform.WaitMessageAsync(id, m => m.GetProperty("attempts").GetInt32() >= 2);
        Assert.That(waiting.GetProperty("status").GetString(), Is.EqualTo("queued"));
        Assert.That(waiting.GetProperty("lastError").GetString(), Does.Contain($"127.0.0.1:{port}"));

        await using var smtp = await SmtpServer.StartAsync("none", port: port);
        await platform.WaitMessageStatusAsync(id, "sent");
        await Task.Delay(3000);
        Assert.That(smtp.Messages, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task EmailsInARowShareOneConnectionAndOneTheServerDroppedIsCheckedBeforeAMessageGoesOnIt()
    {
        var port = CallCenter.TestSupport.FreePorts.UdpAndTcp();
        await using var platform = await PlatformProcess.StartAsync([.. MailArguments(port, "starttls", "smtp-secret-2"), "--Mail:Smtp:MaxConnections=1"]);
        var smtp = await SmtpServer.StartAsync("starttls", "mailer", "smtp-secret-2", port: port);
        try
        {
            for (var i = 0; i < 3; i++)
            {
                await platform.WaitMessageStatusAsync(await PostEmailAsync(platform, $"c{i}@example.cn", $"Note {i}", "text"), "sent");
            }

            var peers = smtp.Messages.Select(m => m.Envelope.Split('\n')[0]).ToList();
            Assert.That(peers, Has.Count.EqualTo(3));
            Assert.That(peers.Distinct().Count(), Is.EqualTo(1), "one connection (one client port) for all three: " + string.Join(", ", peers));

            // The server goes away and comes back: the idle connection is dead. After a pause it is
            // checked with NOOP before the next message, which then goes on a new connection at the first try.
            await smtp.DisposeAsync();
            smtp = await SmtpServer.StartAsync("starttls", "mailer", "smtp-secret-2", port: port);
            await Task.Delay(3000);
            var id = await PostEmailAsync(platform, "after@example.cn", "After the restart", "text");
            var sent = await platform.WaitMessageStatusAsync(id, "sent");
            Assert.That(sent.GetProperty("attempts").GetInt32(), Is.EqualTo(1), sent.ToString());
            await Task.Delay(1000);
            Assert.That(smtp.Messages, Has.Count.EqualTo(1));
            Assert.That(smtp.Messages[0].Envelope.Split('\n')[0], Is.Not.EqualTo(peers[0]));
        }
        finally
        {
            await smtp.DisposeAsync();
        }
    }

    private static string[] MailArguments(int port, string security, string? password) =>
    [
        "--Mail:Smtp:Host=127.0.0.1",
        $"--Mail:Smtp:Port={port}",
        $"--Mail:Smtp:Security={security}",
        $"--Mail:Smtp:Username={(password is null ? "" : "mailer")}",
        $"--Mail:Smtp:Password={password ?? ""}",
        "--Mail:Smtp:AcceptAnyCertificate=true",
        "--Mail:Smtp:TimeoutSeconds=5",
        $"--Mail:From={From}",
        "--Outbox:RetryFirstSeconds=0.5",
        "--Outbox:RetryMaxSeconds=2",
    ];

    private static Task<string> PostEmailAsync(PlatformProcess platform, string to, string subject, string text) =>
        platform.PostMessageAsync(new { channel = "email", to, subject, text });
}
