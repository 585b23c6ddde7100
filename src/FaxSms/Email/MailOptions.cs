namespace CallCenter.FaxSms.Email;

/// <summary>The <c>Mail</c> section (design.md section 4): SMTP submission and the From mailbox.</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    /// <summary>The sender, e.g. <c>客户服务中心 &lt;service@broker.example&gt;</c>.</summary>
    public string From { get; set; } = "";

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>The mailbox clients write to; read only when <c>Mail:Imap:Host</c> is set.</summary>
    public ImapOptions Imap { get; set; } = new();

    public bool Enabled => !string.IsNullOrEmpty(Smtp.Host);

    public IEnumerable<string> Validate()
    {
        foreach (var error in Imap.Validate())
        {
            yield return error;
        }

        if (!Enabled)
        {
            yield break;
        }

        if (Smtp.Port is < 1 or > 65535)
        {
            yield return "Mail:Smtp:Port must be 1-65535.";
        }

        if (Smtp.Security is not ("none" or "starttls" or "tls"))
        {
            yield return $"Mail:Smtp:Security must be \"none\", \"starttls\" or \"tls\", not \"{Smtp.Security}\".";
        }

        if (string.IsNullOrEmpty(Smtp.Username) != string.IsNullOrEmpty(Smtp.Password))
        {
            yield return "Mail:Smtp:Username and Mail:Smtp:Password go together.";
        }

        if (Smtp.MaxConnections is < 1 or > 100 || Smtp.MessagesPerConnection is < 1 or > 100_000 || Smtp.IdleSeconds is < 0 or > 3600)
        {
            yield return "Mail:Smtp:MaxConnections must be 1-100, Mail:Smtp:MessagesPerConnection 1-100,000 and Mail:Smtp:IdleSeconds 0-3600.";
        }

        if (Outbox.Recipients.Email(From).Error is not null)
        {
            yield return $"Mail:From must be a mailbox (name@example.com), not \"{From}\".";
        }
    }
}

/// <summary>The <c>Mail:Smtp</c> section.</summary>
public sealed class SmtpOptions
{
    public string Host { get; set; } = "";

    public int Port { get; set; } = 587;

    /// <summary><c>none</c>, <c>starttls</c> (required, not opportunistic) or <c>tls</c> (implicit, port 465).</summary>
    public string Security { get; set; } = "starttls";

    public string Username { get; set; } = "";

    /// <summary>Never logged.</summary>
    public string Password { get; set; } = "";

    /// <summary>Accept a server certificate that does not validate (a test server's self-signed one). Off by default.</summary>
    public bool AcceptAnyCertificate { get; set; }

    public double TimeoutSeconds { get; set; } = 30;

    /// <summary>Connections to the server at most: sends beyond it wait for one to be free.</summary>
    public int MaxConnections { get; set; } = 4;

    /// <summary>A connection idle longer than this is closed rather than used again (below the server's own idle timeout).</summary>
    public double IdleSeconds { get; set; } = 30;

    /// <summary>Messages sent over one connection before it is closed and a new one made (servers limit it).</summary>
    public int MessagesPerConnection { get; set; } = 100;
}

/// <summary>
/// The <c>Mail:Imap</c> section: the mailbox read for inbound mail (src/FaxSms/README.md). Off while
/// <see cref="Host"/> is empty, so the platform starts without a mail server.
/// </summary>
public sealed class ImapOptions
{
    public string Host { get; set; } = "";

    public int Port { get; set; } = 993;

    /// <summary><c>none</c>, <c>starttls</c> (required) or <c>tls</c> (implicit, port 993).</summary>
    public string Security { get; set; } = "tls";

    public string Username { get; set; } = "";

    /// <summary>Never logged.</summary>
    public string Password { get; set; } = "";

    public string Mailbox { get; set; } = "INBOX";

    /// <summary>Accept a server certificate that does not validate (a test server's self-signed one). Off by default.</summary>
    public bool AcceptAnyCertificate { get; set; }

    /// <summary>How often to look for new mail when the server has no IDLE (RFC 2177).</summary>
    public double PollSeconds { get; set; } = 30;

    /// <summary>An IDLE is ended and started again after this long (RFC 2177 asks for less than 29 minutes).</summary>
    public double IdleMinutes { get; set; } = 9;

    /// <summary>The longest wait between reconnection attempts (the wait doubles from one second up to it).</summary>
    public double ReconnectMaxSeconds { get; set; } = 60;

    public double TimeoutSeconds { get; set; } = 30;

    /// <summary>A mail bigger than this is not downloaded; it is kept as malformed with the reason.</summary>
    public long MaxMessageBytes { get; set; } = 25 * 1024 * 1024;

    public long MaxAttachmentBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Whether a client's mail is acknowledged automatically (at most once per sender per <see cref="AcknowledgeWindowMinutes"/>).</summary>
    public bool Acknowledge { get; set; } = true;

    public double AcknowledgeWindowMinutes { get; set; } = 60;

    /// <summary>
    /// How long an agent has to accept an e-mail task offered to them before it is offered to someone
    /// else; also how long an agent who passed on a task is not offered that task again.
    /// </summary>
    public double AcceptSeconds { get; set; } = 120;

    public bool Enabled => !string.IsNullOrEmpty(Host);

    public IEnumerable<string> Validate()
    {
        if (!Enabled)
        {
            yield break;
        }

        if (Port is < 1 or > 65535)
        {
            yield return "Mail:Imap:Port must be 1-65535.";
        }

        if (Security is not ("none" or "starttls" or "tls"))
        {
            yield return $"Mail:Imap:Security must be \"none\", \"starttls\" or \"tls\", not \"{Security}\".";
        }

        if (string.IsNullOrEmpty(Username) || string.IsNullOrEmpty(Password))
        {
            yield return "Mail:Imap:Username and Mail:Imap:Password are needed to read the mailbox.";
        }

        if (string.IsNullOrWhiteSpace(Mailbox))
        {
            yield return "Mail:Imap:Mailbox must not be empty.";
        }

        if (PollSeconds is <= 0 or > 3600 || IdleMinutes is <= 0 or > 28 || ReconnectMaxSeconds is < 1 or > 3600 || TimeoutSeconds <= 0)
        {
            yield return "Mail:Imap:PollSeconds (0-3600], IdleMinutes (0-28], ReconnectMaxSeconds [1-3600] and TimeoutSeconds (> 0) are out of range.";
        }

        if (AcceptSeconds is < 5 or > 86_400)
        {
            yield return "Mail:Imap:AcceptSeconds must be 5-86400.";
        }

        if (MaxMessageBytes < 1024 || MaxAttachmentBytes < 0)
        {
            yield return "Mail:Imap:MaxMessageBytes must be at least 1024 and MaxAttachmentBytes not negative.";
        }
    }

    /// <summary>The parser's limits from this section.</summary>
    public Inbound.InboundMailLimits Limits() => new(MaxAttachmentBytes: MaxAttachmentBytes, MaxTotalAttachmentBytes: Math.Max(MaxAttachmentBytes, MaxMessageBytes));
}
