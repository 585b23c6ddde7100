namespace CallCenter.FaxSms.Outbox;

/// <summary>What a channel's sender made of one attempt.</summary>
public abstract record SendResult
{
    private SendResult()
    {
    }

    /// <summary>The gateway took the message (Kannel's 202, SMTP's 250).</summary>
    public sealed record Accepted(string? Detail) : SendResult;

    /// <summary>Worth another try later (gateway down, timeout, 5xx, a temporary SMTP reply).</summary>
    public sealed record Transient(string Reason) : SendResult;

    /// <summary>Never worth another try (the gateway refused the message itself).</summary>
    public sealed record Permanent(string Reason) : SendResult;
}

/// <summary>Sends one message on one channel. Implementations never throw for a gateway's failure: they return it.</summary>
public interface IMessageSender
{
    string Channel { get; }

    Task<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken);
}
