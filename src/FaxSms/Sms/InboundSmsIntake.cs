using CallCenter.FaxSms.Outbox;
using Microsoft.Extensions.Logging;

namespace CallCenter.FaxSms.Sms;

/// <summary>One inbound SMS from any gateway: classified (opt-out, malformed, ordinary), stored once per gateway id, confirmed through the outbox.</summary>
internal static class InboundSmsIntake
{
    public static async Task TakeAsync(string gatewayId, string? from, string? to, string? text, SmsStore store, OutboxSignal signal, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var (sms, confirmation) = InboundSmsRules.Classify(gatewayId, from, to, text, MessageRequest.NewId());
        var outcome = await store.ReceiveAsync(sms, confirmation, time.GetUtcNow(), cancellationToken);
        switch (outcome)
        {
            case InboundOutcome.OptedOut:
                FaxSmsLog.OptedOut(logger, sms.Sender, sms.Body.Trim(), confirmation!.Id);
                signal.Notify();
                break;
            case InboundOutcome.Kept when sms.Outcome == InboundSms.Malformed:
                FaxSmsLog.InboundMalformed(logger, gatewayId, sms.Reason!);
                break;
        }
    }
}
