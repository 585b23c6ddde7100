namespace CallCenter.FaxSms.Email;

/// <summary>What to do with an idle SMTP connection before the next message.</summary>
public enum SmtpReuse
{
    /// <summary>Close it and connect anew (closed, idle too long, or carried enough messages).</summary>
    Replace,

    /// <summary>Send on it at once: it was used a moment ago.</summary>
    Use,

    /// <summary>Ask the server with NOOP first: it has been idle a while and may have been dropped.</summary>
    CheckFirst,
}

/// <summary>
/// Whether an idle SMTP connection may carry the next message (pure). Reusing one saves the TCP, TLS
/// and AUTH round trips that otherwise come with every e-mail. A connection idle for more than
/// <see cref="CheckAfter"/> is checked with NOOP before a message goes on it, so a connection the
/// server closed fails before any of the message is sent, never half-way (which could send it twice).
/// </summary>
public static class SmtpConnectionPolicy
{
    public static readonly TimeSpan CheckAfter = TimeSpan.FromSeconds(2);

    public static SmtpReuse Decide(bool connected, DateTimeOffset lastUsed, int messagesSent, DateTimeOffset now, SmtpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var idle = now - lastUsed;
        if (!connected || idle > TimeSpan.FromSeconds(options.IdleSeconds) || messagesSent >= options.MessagesPerConnection)
        {
            return SmtpReuse.Replace;
        }

        return idle > CheckAfter ? SmtpReuse.CheckFirst : SmtpReuse.Use;
    }
}
