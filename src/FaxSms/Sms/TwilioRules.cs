using System.Globalization;
using CallCenter.FaxSms.Outbox;

namespace CallCenter.FaxSms.Sms;

/// <summary>
/// What Twilio's answers mean for the outbox (pure): an error of the Messages API as a send result,
/// a status callback as a delivery report. Twilio's own numbers and words are kept in the detail so
/// an operator can look them up (https://www.twilio.com/docs/api/errors).
/// </summary>
public static class TwilioRules
{
    /// <summary>An HTTP status and Twilio error code from the Messages API as a send result.</summary>
    public static SendResult Interpret(int status, int code, string? message)
    {
        var said = $"Twilio {status}, error {code.ToString(CultureInfo.InvariantCulture)}: {Trim(message)}";
        return status switch
        {
            // The account's SID or token is wrong: fixing the configuration must let the message through.
            401 or 403 => new SendResult.Transient($"{said}; check Sms:Twilio:AccountSid and Sms:Twilio:AuthToken"),
            // Too many requests: Twilio's rate limit; try again later.
            429 => new SendResult.Transient(said),
            // The message itself was refused (an invalid or unsubscribed number, 21211, 21610, ...).
            >= 400 and < 500 => new SendResult.Permanent(said),
            _ => new SendResult.Transient(said),
        };
    }

    /// <summary>
    /// A status callback's <c>MessageStatus</c> (and <c>ErrorCode</c>) as a status for the outbox,
    /// or null for a step that changes nothing here (accepted, queued, sending, scheduled).
    /// </summary>
    public static (string Status, string Detail)? Report(string? messageStatus, string? errorCode, string? messageSid)
    {
        var sid = string.IsNullOrEmpty(messageSid) ? "" : $" {Trim(messageSid)}";
        var error = string.IsNullOrEmpty(errorCode) ? "" : $", error {Trim(errorCode)}";
        return messageStatus switch
        {
            "sent" => (MessageStatus.Sent, $"taken by the carrier (Twilio{sid}: sent)"),
            "delivered" or "read" => (MessageStatus.Delivered, $"delivered to the handset (Twilio{sid}: {messageStatus})"),
            "undelivered" => (MessageStatus.Failed, $"not delivered to the handset (Twilio{sid}: undelivered{error})"),
            "failed" => (MessageStatus.Failed, $"refused by Twilio or the carrier (Twilio{sid}: failed{error})"),
            "canceled" => (MessageStatus.Failed, $"canceled at Twilio (Twilio{sid})"),
            _ => null,
        };
    }

    private static string Trim(string? text)
    {
        var t = (text ?? "").Trim();
        return t.Length > 200 ? t[..200] : t;
    }
}
