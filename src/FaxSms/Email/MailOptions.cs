namespace CallCenter.FaxSms.Email;

/// <summary>The <c>Mail</c> section (design.md section 4): SMTP submission and the From mailbox.</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    /// <summary>The sender, e.g. <c>客户服务中心 &lt;service@broker.example&gt;</c>.</summary>
    public string From { get; set; } = "";

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>IMAP (inbound mail) is not built yet; the keys are accepted so a config can hold them.</summary>
    public ImapOptions Imap { get; set; } = new();

    public bool Enabled => !string.IsNullOrEmpty(Smtp.Host);

    public IEnumerable<string> Validate()
    {
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

/// <summary>The <c>Mail:Imap</c> section (reserved for inbound mail).</summary>
public sealed class ImapOptions
{
    public string Host { get; set; } = "";

    public int Port { get; set; } = 993;

    public string Security { get; set; } = "tls";

    public string Username { get; set; } = "";

    public string Password { get; set; } = "";
}
