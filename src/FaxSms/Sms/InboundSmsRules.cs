using CallCenter.FaxSms.Outbox;

namespace CallCenter.FaxSms.Sms;

/// <summary>
/// What an inbound SMS is (pure): an opt-out (with the confirmation to send), an ordinary message
/// kept for the desk, or malformed (no usable sender, no text) kept for an operator with the reason.
/// </summary>
public static class InboundSmsRules
{
    public const int MaxLength = 2000;

    public static (InboundSms Sms, OutboundMessage? Confirmation) Classify(string gatewayId, string? from, string? to, string? text, string confirmationId)
    {
        var body = text ?? "";
        if (body.Length > MaxLength)
        {
            body = body[..MaxLength];
        }

        var receiver = to ?? "";
        var (sender, error) = Recipients.Phone(from);
        if (sender is null)
        {
            return (new InboundSms(gatewayId, from ?? "", receiver, body, InboundSms.Malformed, $"sender: {error}"), null);
        }

        if (string.IsNullOrWhiteSpace(body))
        {
            return (new InboundSms(gatewayId, sender, receiver, body, InboundSms.Malformed, "empty text"), null);
        }

        if (OptOutKeywords.Match(body) is not null)
        {
            var confirmation = new OutboundMessage(confirmationId, MessageChannel.Sms, sender, null, OptOutKeywords.Confirmation, MessageKind.OptOutConfirmation, 0);
            return (new InboundSms(gatewayId, sender, receiver, body, InboundSms.OptOut, null), confirmation);
        }

        return (new InboundSms(gatewayId, sender, receiver, body, InboundSms.Received, null), null);
    }
}
