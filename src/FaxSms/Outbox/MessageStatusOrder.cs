namespace CallCenter.FaxSms.Outbox;

/// <summary>
/// How a delivery report moves a status (pure). Reports can arrive out of order (a "delivered" before
/// the gateway's "sent" reaches us, a late "sent" after it): a final status (delivered, failed)
/// never changes, and "sent" never goes back to "queued".
/// </summary>
public static class MessageStatusOrder
{
    public static string AfterReport(string current, string reported) => current switch
    {
        MessageStatus.Delivered or MessageStatus.Failed => current,
        MessageStatus.Sent when reported == MessageStatus.Sent => MessageStatus.Sent,
        _ => reported,
    };
}
