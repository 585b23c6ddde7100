using System.Text;
using CallCenter.FaxSms.Email.Inbound;
using CallCenter.FaxSms.Outbox;
using MimeKit;

namespace CallCenter.FaxSms.Tests;

public sealed class InboundMailCoreTests
{
    private static readonly DateTimeOffset _t = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

    private static MimeMessage Load(string raw) => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(raw.ReplaceLineEndings("\r\n"))));

    private static InboundMail Parse(string raw, InboundMailLimits? limits = null)
    {
        var (mail, error) = InboundMailParser.Parse(Load(raw), limits ?? new InboundMailLimits(), "fallback@x");
        Assert.That(error, Is.Null);
        return mail!;
    }

    [Test]
    public void AChineseSubjectAndDisplayNameInEncodedWordsAreDecodedAndTheThreadIsRead()
    {
        var mail = Parse("""
            From: =?utf-8?B?546L5bu65Zu9?= <Client1@Example.com>
            To: service@broker.example
            Subject: =?utf-8?B?5oiR55qE6LSm5oi36Zeu6aKY?=
            Message-ID: <abc-1@example.com>
            In-Reply-To: <msg-9@broker.example>
            References: <first@example.com> <msg-9@broker.example>
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: 8bit

            您好，我的账户无法登录。
            """);
        Assert.That(mail.FromAddress, Is.EqualTo("client1@example.com"));
        Assert.That(mail.FromName, Is.EqualTo("王建国"));
        Assert.That(mail.Subject, Is.EqualTo("我的账户问题"));
        Assert.That(mail.Text, Is.EqualTo("您好，我的账户无法登录。"));
        Assert.That(mail.MessageId, Is.EqualTo("abc-1@example.com"));
        Assert.That(mail.InReplyTo, Is.EqualTo("msg-9@broker.example"));
        Assert.That(mail.References, Is.EqualTo(new[] { "first@example.com", "msg-9@broker.example" }));
        Assert.That(mail.AutomaticReason, Is.Null);
    }

    [TestCase("gb18030")]
    [TestCase("gbk")]
    [TestCase("gb2312")]
    public void AnEncodedWordSubjectInAChineseCharsetIsDecoded(string charset)
    {
        var gb = CodePagesEncodingProvider.Instance.GetEncoding(charset)!;
        var word = $"=?{charset}?B?" + Convert.ToBase64String(gb.GetBytes("对账单")) + "?=";
        var mail = Parse($"From: a@example.cn\nSubject: {word}\n\nx\n");
        Assert.That(mail.Subject, Is.EqualTo("对账单"));
    }

    [Test]
    public void AnHtmlOnlyBodyBecomesTextWithoutScriptsOrStyles()
    {
        var mail = Parse("""
            From: a@example.cn
            Subject: html
            Content-Type: text/html; charset=utf-8

            <html><head><style>p{color:red}</style><title>t</title></head><body><p>第一行 &amp; more</p><script>alert(1)</script><div>second<br>third</div></body></html>
            """);
        Assert.That(mail.Text, Is.EqualTo("第一行 & more\nsecond\nthird"));
    }

    [Test]
    public void AttachmentsAreKeptWithinTheLimitAndAnOversizedOneIsDescribedWithoutItsBytes()
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("a@example.cn"));
        message.Subject = "files";
        var body = new BodyBuilder { TextBody = "see attached" };
        body.Attachments.Add("small.txt", Encoding.ASCII.GetBytes("hello"));
        body.Attachments.Add("big.bin", new byte[2000]);
        message.Body = body.ToMessageBody();

        var (mail, _) = InboundMailParser.Parse(message, new InboundMailLimits(MaxAttachmentBytes: 1000), "f@x");
        Assert.That(mail!.Text, Is.EqualTo("see attached"));
        Assert.That(mail.Attachments.Select(a => (a.FileName, a.Size, a.Content is not null)), Is.EqualTo(new[] { ("small.txt", 5L, true), ("big.bin", 2000L, false) }));
        Assert.That(Encoding.ASCII.GetString(mail.Attachments[0].Content!), Is.EqualTo("hello"));
        Assert.That(mail.Attachments[1].Reason, Does.Contain("1000 bytes"));
    }

    [Test]
    public void AMailWithoutASenderIsRefusedWithTheReasonAndOneWithoutMessageIdGetsTheFallback()
    {
        var (none, error) = InboundMailParser.Parse(Load("Subject: x\n\nbody\n"), new InboundMailLimits(), "f@x");
        Assert.That(none, Is.Null);
        Assert.That(error, Does.Contain("sender"));
        Assert.That(Parse("From: a@example.cn\nSubject: x\n\nbody\n").MessageId, Is.EqualTo("fallback@x"));
    }

    [TestCase("Auto-Submitted: auto-replied", "Auto-Submitted")]
    [TestCase("Precedence: bulk", "Precedence")]
    [TestCase("X-Autoreply: yes", "X-Autoreply")]
    [TestCase("Return-Path: <>", "Return-Path")]
    public void MachineMailIsRecognisedByItsHeaders(string header, string expected)
    {
        var mail = Parse($"From: a@example.cn\n{header}\nSubject: Out of office\n\naway\n");
        Assert.That(mail.AutomaticReason, Does.Contain(expected));
    }

    [Test]
    public void ABounceFromTheMailerDaemonIsAutomaticAndAutoSubmittedNoIsAPerson()
    {
        Assert.That(Parse("From: MAILER-DAEMON@mx.example.cn\nSubject: Undelivered\n\nsorry\n").AutomaticReason, Does.Contain("MAILER-DAEMON"));
        Assert.That(Parse("From: a@example.cn\nAuto-Submitted: no\nSubject: hi\n\nhi\n").AutomaticReason, Is.Null);
        var report = Parse("""
            From: postmaster-robot@mx.example.cn
            Subject: Delivery Status Notification
            Content-Type: multipart/report; report-type=delivery-status; boundary="b"

            --b
            Content-Type: text/plain

            failed
            --b
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx.example.cn
            --b--
            """);
        Assert.That(report.AutomaticReason, Does.Contain("multipart/report"));
    }

    [Test]
    public void APersonsMailIsAcknowledgedOncePerWindowThreadedAndMarkedAutomatic()
    {
        var mail = Parse("From: a@example.cn\nMessage-ID: <m1@example.cn>\nReferences: <r0@example.cn>\nSubject: 开户\n\nx\n");
        var ack = MailAcknowledgement.Decide(mail, InboundMailOutcome.Task, "service@broker.example", null, _t, TimeSpan.FromHours(1), "msg-ack");
        Assert.That(ack, Is.Not.Null);
        Assert.That((ack!.Recipient, ack.Subject, ack.Kind, ack.InReplyTo, ack.References),
            Is.EqualTo(("a@example.cn", "Re: 开户", MessageKind.MailAcknowledgement, "m1@example.cn", "r0@example.cn m1@example.cn")));

        Assert.That(MailAcknowledgement.Decide(mail, InboundMailOutcome.Task, "service@broker.example", _t.AddMinutes(-30), _t, TimeSpan.FromHours(1), "x"), Is.Null, "within the window");
        Assert.That(MailAcknowledgement.Decide(mail, InboundMailOutcome.Task, "service@broker.example", _t.AddMinutes(-61), _t, TimeSpan.FromHours(1), "x"), Is.Not.Null);
        Assert.That(MailAcknowledgement.Decide(mail, InboundMailOutcome.Ignored, "service@broker.example", null, _t, TimeSpan.FromHours(1), "x"), Is.Null);
        Assert.That(MailAcknowledgement.Decide(mail, InboundMailOutcome.Task, "A@example.cn", null, _t, TimeSpan.FromHours(1), "x"), Is.Null, "never to ourselves");
        Assert.That(MailAcknowledgement.ReplySubject("RE: 开户"), Is.EqualTo("RE: 开户"));
    }

    [Test]
    public void TasksGoVipFirstThenOldestToFreeAgentsWithTheEmailSkillPreferringTheAccountManager()
    {
        WaitingTask[] waiting =
        [
            new("unknown-old", EmailTaskRouting.TierRank(null), _t, null),
            new("gold", EmailTaskRouting.TierRank("Gold"), _t.AddMinutes(2), null),
            new("diamond", EmailTaskRouting.TierRank("Diamond"), _t.AddMinutes(5), "1003"),
        ];
        EmailAgent[] agents =
        [
            new("1001", "zh,en,email", Busy: false, LastTaskEndedAt: _t.AddMinutes(-1)),
            new("1002", "zh,en", Busy: false, LastTaskEndedAt: null),
            new("1003", "zh, Email", Busy: false, LastTaskEndedAt: null),
            new("1004", "email", Busy: true, LastTaskEndedAt: null),
        ];
        var offers = EmailTaskRouting.Assign(waiting, agents, _t, TimeSpan.FromMinutes(2));
        Assert.That(offers, Is.EqualTo(new[] { ("diamond", "1003"), ("gold", "1001") }));
        Assert.That(EmailTaskRouting.TierRank("Diamond"), Is.LessThan(EmailTaskRouting.TierRank("Dormant")));
        Assert.That(EmailTaskRouting.TierRank("Dormant"), Is.LessThan(EmailTaskRouting.TierRank(null)));
    }

    [Test]
    public void OnlyAnAvailableAgentIsOfferedATaskInTierOrderAndNoneWaitsForAnAbsentOne()
    {
        WaitingTask[] waiting =
        [
            new("effective", EmailTaskRouting.TierRank("Effective"), _t, null),
            new("platinum", EmailTaskRouting.TierRank("Platinum"), _t.AddMinutes(3), "1002"),
        ];
        EmailAgent[] agents =
        [
            new("1001", "email", Busy: false, LastTaskEndedAt: null, Available: true),
            new("1002", "email", Busy: false, LastTaskEndedAt: null, Available: false),
            new("1003", "email", Busy: false, LastTaskEndedAt: null, Available: false),
        ];

        var offers = EmailTaskRouting.Assign(waiting, agents, _t.AddMinutes(4), TimeSpan.FromMinutes(2));
        var nobody = EmailTaskRouting.Assign(waiting, agents.Select(a => a with { Available = false }), _t.AddMinutes(4), TimeSpan.FromMinutes(2));

        // The Platinum client's manager (1002) is away: the task goes to the available agent, ahead of the older Effective one.
        Assert.That(offers, Is.EqualTo(new[] { ("platinum", "1001") }));
        Assert.That(nobody, Is.Empty);
    }

    [Test]
    public void ATaskGoesToSomeoneElseThanTheAgentWhoPassedOnItUntilTheHoldIsOver()
    {
        var hold = TimeSpan.FromMinutes(2);
        WaitingTask[] waiting = [new("gold", EmailTaskRouting.TierRank("Gold"), _t, null, PassedBy: "1001", PassedAt: _t.AddMinutes(10))];
        EmailAgent[] onlyHim = [new("1001", "email", Busy: false, LastTaskEndedAt: null)];
        EmailAgent[] both = [.. onlyHim, new("1002", "email", Busy: false, LastTaskEndedAt: _t)];

        Assert.Multiple(() =>
        {
            Assert.That(EmailTaskRouting.Assign(waiting, both, _t.AddMinutes(11), hold), Is.EqualTo(new[] { ("gold", "1002") }), "the other agent, though 1001 has waited longer");
            Assert.That(EmailTaskRouting.Assign(waiting, onlyHim, _t.AddMinutes(11), hold), Is.Empty, "not straight back to the one who passed");
            Assert.That(EmailTaskRouting.Assign(waiting, onlyHim, _t.AddMinutes(12), hold), Is.EqualTo(new[] { ("gold", "1001") }), "after the hold, even to him");
        });
    }

    [Test]
    public void AnOfferIsTakenBackWhenItsAgentGoesAwayOrDoesNotAcceptInTimeAndAnAcceptedOneOnlyWhenTheyGoOffline()
    {
        var within = TimeSpan.FromMinutes(2);
        OfferedTask[] offered =
        [
            new("fresh", "1001", _t.AddSeconds(-30), null),
            new("slow", "1002", _t.AddMinutes(-2), null),
            new("on-break", "1003", _t.AddSeconds(-5), null),
            new("accepted-on-break", "1004", _t.AddMinutes(-30), _t.AddMinutes(-29)),
            new("accepted-offline", "1005", _t.AddMinutes(-30), _t.AddMinutes(-29)),
            new("unknown-agent", "4711", _t.AddSeconds(-1), null),
            new("busy-on-a-call", "1006", _t.AddSeconds(-10), null),
        ];
        var states = new Dictionary<string, string>
        {
            ["1001"] = "available",
            ["1002"] = "available",
            ["1003"] = "break",
            ["1004"] = "break",
            ["1005"] = "offline",
            ["1006"] = "onCall",
        };

        var taken = EmailTaskRouting.Withdraw(offered, states, _t, within);

        Assert.That(taken.Select(w => (w.TaskId, w.Reason)), Is.EqualTo(new[]
        {
            ("slow", "agent 1002 did not accept within 120 s"),
            ("on-break", "agent 1003 went away (break) before accepting"),
            ("accepted-offline", "agent 1005 went offline"),
            ("unknown-agent", "agent 4711 went away (offline) before accepting"),
        }));
    }

    [TestCase("退订", "", "退订")]
    [TestCase("Re: Unsubscribe", "", "UNSUBSCRIBE")]
    [TestCase("回复：退订。", "", "退订")]
    [TestCase("关于我的账户", "TD\n\n--\n王建国", "TD")]
    [TestCase("", "  stop!  ", "STOP")]
    [TestCase("please unsubscribe me", "", null)]
    [TestCase("问题", "我想退订短信但保留邮件", null)]
    public void AMailWhoseSubjectOrFirstLineIsAnOptOutKeywordIsAnOptOut(string subject, string text, string? keyword)
    {
        var mail = new InboundMail("m@x", "a@b.cn", null, subject, text, null, [], [], null);
        Assert.That(Email.EmailOptOut.Keyword(mail), Is.EqualTo(keyword));
    }

    [Test]
    public void AnAutomaticMailOptsNoOneOutAndTheConfirmationIsThreadedAndExempt()
    {
        Assert.That(Email.EmailOptOut.Keyword(new InboundMail("m@x", "a@b.cn", null, "退订", "", null, [], [], "Auto-Submitted: auto-replied")), Is.Null);
        var confirmation = Email.EmailOptOut.Confirmation(new InboundMail("m@x", "a@b.cn", null, "退订", "", "p@x", ["p@x"], [], null), "id1");
        Assert.That((confirmation.Channel, confirmation.Recipient, confirmation.Subject, confirmation.Kind, confirmation.InReplyTo, confirmation.References),
            Is.EqualTo((MessageChannel.Email, "a@b.cn", "Re: 退订", MessageKind.OptOutConfirmation, "m@x", "p@x m@x")));
        Assert.That(MessageKind.HonoursEmailOptOut(MessageKind.Broadcast), Is.True);
        Assert.That(new[] { MessageKind.RiskNotice, MessageKind.MailReply, MessageKind.MailAcknowledgement, MessageKind.Ordinary, MessageKind.OptOutConfirmation }.Any(MessageKind.HonoursEmailOptOut), Is.False);
        Assert.That(Email.EmailOptOut.Address("王建国 <Client1@Example.COM>"), Is.EqualTo("client1@example.com"));
        Assert.That(Email.MailComposer.Compose(confirmation, "service@broker.example", _t).Headers["Auto-Submitted"], Is.EqualTo("auto-replied"));
    }
}
